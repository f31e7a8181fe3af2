"""Read-only operations views: orders (those to refund first) and attempts."""

from __future__ import annotations

from django.contrib import admin

from motcua.kernel.admin import ReadOnlyAdmin
from motcua.payments.models import PaymentAttempt, PaymentOrder


@admin.register(PaymentOrder)
class PaymentOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "state", "amount", "created_at", "paid_at", "transaction_no")
    list_filter = ("state",)
    search_fields = ("number", "transaction_no")
    ordering = ("-created_at",)


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(ReadOnlyAdmin):
    list_display = ("reference", "order", "status", "amount", "started_at", "settled_via", "checks")
    list_filter = ("status", "settled_via")
    search_fields = ("reference", "transaction_no")
    ordering = ("-started_at",)
