"""``OutboxMessage`` (one per domain event) and ``OutboxDelivery`` (one per consumer that took it)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["OutboxDelivery", "OutboxMessage", "OutboxStatus"]


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    DELIVERED = "delivered", _("Đã gửi")
    DEAD = "dead", _("Lỗi, đã dừng thử lại")


class OutboxMessage(models.Model):
    # The integer primary key orders delivery; ``message_id`` is what receivers dedupe on.
    message_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    topic = models.CharField(_("chủ đề"), max_length=120)
    aggregate_type = models.CharField(max_length=60)
    aggregate_id = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("tạo lúc"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    available_at = models.DateTimeField(_("gửi từ lúc"))
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    delivered_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông điệp outbox")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(
                fields=["available_at"],
                name="outbox_pending_idx",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["aggregate_type", "aggregate_id"], name="outbox_aggregate_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.message_id}"


class OutboxDelivery(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="deliveries")
    consumer = models.CharField(max_length=120)
    delivered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "consumer"], name="outbox_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.consumer} ← {self.message_id}"
