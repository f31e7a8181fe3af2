"""``OutboxMessage`` (one per domain event) and ``OutboxDelivery`` (one per consumer that took it);
webhook subscriptions, their deliveries and the log of every attempt."""

from __future__ import annotations

import fnmatch
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "OutboxDelivery",
    "OutboxMessage",
    "OutboxStatus",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookDeliveryStatus",
    "WebhookSubscription",
]


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
            # The relay's claim, ``ORDER BY available_at, id LIMIT n``: an index range in
            # that order. On ``available_at`` alone a backlog written in one go (one
            # instant) had to be sorted whole: 60–70 ms a claim at 100,000 pending.
            models.Index(
                fields=["available_at", "id"],
                name="outbox_pending_claim_idx",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["aggregate_type", "aggregate_id"], name="outbox_aggregate_idx"),
            # Ordered consumers look for an aggregate's earlier messages still owed.
            models.Index(
                fields=["aggregate_type", "aggregate_id", "id"],
                name="outbox_owed_aggregate_idx",
                condition=models.Q(status__in=["pending", "dead"]),
            ),
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


class WebhookSubscription(models.Model):
    """Another system that wants the events of some topics, POSTed to its URL and signed.

    ``topics`` holds one shell-style pattern a line (``dossiers.dossier.*``); ``secret``
    keys the HMAC-SHA256 signature of every delivery (``webhooks.signing``). Written only
    by ``integration.actions.do_create_webhook_subscription`` / ``…_update_…``.
    """

    name = models.CharField(_("tên hệ thống nhận"), max_length=120)
    url = models.URLField(_("địa chỉ nhận (URL)"), max_length=500)
    topics = models.TextField(
        _("chủ đề đăng ký"),
        help_text=_("Mỗi dòng một mẫu chủ đề, ví dụ dossiers.dossier.* hoặc *."),
    )
    secret = models.CharField(_("khóa bí mật ký thông điệp"), max_length=128)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    updated_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("đăng ký webhook")
        verbose_name_plural = _("đăng ký webhook")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def patterns(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]

    def matches(self, topic: str) -> bool:
        return any(fnmatch.fnmatchcase(topic, pattern) for pattern in self.patterns)


class WebhookDeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    DELIVERED = "delivered", _("Đã gửi")
    DEAD = "dead", _("Lỗi, đã dừng thử lại")


class WebhookDelivery(models.Model):
    """One outbox message owed to one subscription; retried on its own schedule."""

    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("đăng ký"),
    )
    message = models.ForeignKey(
        OutboxMessage, on_delete=models.CASCADE, related_name="+", verbose_name=_("thông điệp")
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=WebhookDeliveryStatus.choices,
        default=WebhookDeliveryStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử tiếp lúc"))
    delivered_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("mã HTTP gần nhất"), null=True, blank=True
    )
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))

    class Meta:
        verbose_name = _("lượt gửi webhook")
        verbose_name_plural = _("lượt gửi webhook")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "message"], name="webhook_delivery_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_due_idx",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} ← {self.message_id}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: what the receiver answered and how long it took."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField(_("thời điểm gửi"))
    status_code = models.PositiveSmallIntegerField(_("mã HTTP"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("thời gian (ms)"))
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("lần gửi webhook")
        verbose_name_plural = _("lần gửi webhook")
        ordering = ["delivery", "attempted_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error[:20]}"
