from django.contrib import admin

from motcua.integration.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "topic", "status", "attempts", "available_at", "delivered_at")
    list_filter = ("status", "topic")
    search_fields = ("aggregate_id", "message_id")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    ordering = ("-id",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
