"""Read-only operations views: orders (those to refund first) and attempts."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.payments.models import PaymentAttempt, PaymentOrder


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PaymentOrder)
class PaymentOrderAdmin(_ReadOnly):
    list_display = ("number", "state", "amount", "created_at", "paid_at", "transaction_no")
    list_filter = ("state",)
    search_fields = ("number", "transaction_no")
    ordering = ("-created_at",)


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(_ReadOnly):
    list_display = ("reference", "order", "status", "amount", "started_at", "settled_via", "checks")
    list_filter = ("status", "settled_via")
    search_fields = ("reference", "transaction_no")
    ordering = ("-started_at",)
