from django.contrib import admin

from motcua.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "action", "aggregate_type", "aggregate_id", "seq", "actor_ref")
    list_filter = ("aggregate_type", "action")
    search_fields = ("aggregate_id", "actor_ref")
    ordering = ("-id",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
