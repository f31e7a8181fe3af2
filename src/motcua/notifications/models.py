"""One row per message to send (``Notification``) and the applicants' choices.

A notification is unique per (outbox message, channel): the consumer that plans it runs
at least once, the row exists once. ``status`` and ``attempts`` are its send log;
``recipient_masked`` shows where it went without the address, and ``data`` holds only
what the message needs beyond the dossier (dates, amounts, the items to supplement).

``ContactPreference`` is keyed by a citizen account (``user``) or by a contact
(``contact_key``: a keyed hash of an e-mail address or a phone number, so the table
holds no address): the preference page of an account and the unsubscribe link of a
message write them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier

__all__ = ["Channel", "ContactPreference", "Event", "Notification", "NotificationStatus"]


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class Event(models.TextChoices):
    RECEIVED = "received", _("Hồ sơ đã được tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    PAYMENT_REQUESTED = "payment_requested", _("Yêu cầu nộp phí, lệ phí")
    APOLOGY = "apology", _("Xin lỗi và hẹn lại ngày trả kết quả")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi, sẽ thử lại")
    DEAD = "dead", _("Gửi lỗi, đã dừng thử lại")
    SKIPPED = "skipped", _("Không gửi")


class Notification(models.Model):
    message_id = models.UUIDField(_("mã thông điệp outbox"))
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    event = models.CharField(_("sự kiện"), max_length=24, choices=Event.choices)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="+", verbose_name=_("hồ sơ")
    )
    language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    recipient_masked = models.CharField(_("người nhận (đã che)"), max_length=80, blank=True)
    data = models.JSONField(_("dữ liệu của thông báo"), default=dict)
    status = models.CharField(
        _("trạng thái"),
        max_length=8,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    # "no_contact", "opted_out" for a skipped one.
    skip_reason = models.CharField(_("lý do không gửi"), max_length=24, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    # The error's type and code only: a server's message may quote the address.
    last_error = models.CharField(_("lỗi gần nhất"), max_length=200, blank=True)
    provider_ref = models.CharField(_("mã của bên gửi"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    next_attempt_at = models.DateTimeField(_("gửi lần tới"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("bắt đầu gửi lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id", "channel"], name="notification_once_per_channel"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="notification_due_idx",
                condition=models.Q(status__in=["pending", "failed", "sending"]),
            ),
            models.Index(fields=["dossier", "-created_at"], name="notification_dossier_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.channel} {self.recipient_masked}"


class ContactPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_preference",
        verbose_name=_("tài khoản"),
    )
    contact_key = models.CharField(_("khóa liên hệ"), max_length=64, unique=True, null=True)  # noqa: DJ001 (NULL: unique among contacts only)
    email_enabled = models.BooleanField(_("nhận thư điện tử"), default=True)
    sms_enabled = models.BooleanField(_("nhận tin nhắn SMS"), default=True)
    # "" = not chosen (Vietnamese).
    language = models.CharField(_("ngôn ngữ"), max_length=8, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("lựa chọn nhận thông báo")
        verbose_name_plural = _("lựa chọn nhận thông báo")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False) & models.Q(contact_key__isnull=True))
                | (models.Q(user__isnull=True) & models.Q(contact_key__isnull=False)),
                name="contact_preference_one_key",
            )
        ]

    def __str__(self) -> str:
        return f"user:{self.user_id}" if self.user_id else f"contact:{(self.contact_key or '')[:8]}"
