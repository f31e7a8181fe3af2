"""Operations view of notifications: what was sent, what fails and why (no bodies)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "id", "event", "channel", "recipient_masked", "status", "attempts", "last_error",
        "created_at", "sent_at",
    )  # fmt: skip
    list_filter = ("status", "channel", "event")
    search_fields = ("message_id",)
    ordering = ("-created_at",)
    exclude = ("data",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
