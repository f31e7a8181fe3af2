"""Operations view of notifications: what was sent, what fails and why (no bodies)."""

from __future__ import annotations

from django.contrib import admin

from motcua.kernel.admin import ReadOnlyAdmin
from motcua.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = (
        "id", "event", "channel", "recipient_masked", "status", "attempts", "last_error",
        "created_at", "sent_at",
    )  # fmt: skip
    list_filter = ("status", "channel", "event")
    search_fields = ("message_id",)
    ordering = ("-created_at",)
    exclude = ("data",)
