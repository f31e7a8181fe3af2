from django.contrib import admin

from motcua.audit.models import AuditEvent
from motcua.kernel.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "action", "aggregate_type", "aggregate_id", "seq", "actor_ref")
    list_filter = ("aggregate_type", "action")
    search_fields = ("aggregate_id", "actor_ref")
    ordering = ("-id",)
