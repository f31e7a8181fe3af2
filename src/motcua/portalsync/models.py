"""Sync state kept beside the dossiers (never on them): per event, per dossier, per import.

``PortalEvent``
    one dossier event (one outbox message) as the portal saw it: when it happened, how
    many attempts, when the portal acknowledged it (``synced_at`` of R59), on time or not.
``PortalDossierSync``
    the dossier's sync status: last acknowledged event and status, events still owed,
    the oldest of them (the lag), failures in a row and in total, the last error.
``PortalImport``
    an online dossier pulled from the portal, by the portal's code (unique: imported
    once), with the dossier it became, or the reason it was rejected.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier

__all__ = [
    "ImportStatus",
    "PortalDossierSync",
    "PortalEvent",
    "PortalEventStatus",
    "PortalImport",
]


class PortalEventStatus(models.TextChoices):
    WAITING = "waiting", _("Chờ Cổng xác nhận")
    ACKNOWLEDGED = "acknowledged", _("Cổng đã xác nhận")
    REJECTED = "rejected", _("Cổng từ chối, sẽ gửi lại")
    SKIPPED = "skipped", _("Không đồng bộ")


class PortalEvent(models.Model):
    message_id = models.UUIDField(_("mã thông điệp"), unique=True)
    # The outbox message's primary key: the order of the dossier's events.
    sequence = models.BigIntegerField(_("thứ tự"))
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="+", verbose_name=_("hồ sơ")
    )
    event = models.CharField(_("sự kiện"), max_length=60)
    national_status = models.PositiveSmallIntegerField(_("trạng thái"), null=True, blank=True)
    event_at = models.DateTimeField(_("thời điểm sự kiện"))
    status = models.CharField(
        _("tình trạng đồng bộ"), max_length=12, choices=PortalEventStatus.choices
    )
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    first_attempt_at = models.DateTimeField(_("gửi lần đầu lúc"))
    last_attempt_at = models.DateTimeField(_("gửi lần cuối lúc"))
    acknowledged_at = models.DateTimeField(_("Cổng xác nhận lúc"), null=True, blank=True)
    is_on_time = models.BooleanField(_("đồng bộ đúng hạn"), null=True, blank=True)
    error_code = models.CharField(_("mã lỗi"), max_length=60, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("sự kiện đồng bộ")
        verbose_name_plural = _("sự kiện đồng bộ")
        indexes = [
            models.Index(fields=["dossier", "sequence"], name="portalevent_dossier_idx"),
            models.Index(
                fields=["dossier", "event_at"],
                name="portalevent_open_idx",
                condition=models.Q(acknowledged_at__isnull=True) & ~models.Q(status="skipped"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.event} {self.status}"


class PortalDossierSync(models.Model):
    dossier = models.OneToOneField(
        Dossier,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("hồ sơ"),
    )
    portal_code = models.CharField(_("mã hồ sơ trên Cổng"), max_length=60, blank=True)
    last_event_at = models.DateTimeField(_("sự kiện mới nhất lúc"), null=True, blank=True)
    last_acknowledged_event = models.CharField(
        _("sự kiện Cổng xác nhận gần nhất"), max_length=60, blank=True
    )
    last_acknowledged_status = models.PositiveSmallIntegerField(
        _("trạng thái Cổng xác nhận gần nhất"), null=True, blank=True
    )
    last_acknowledged_at = models.DateTimeField(
        _("Cổng xác nhận lần cuối lúc"), null=True, blank=True
    )
    unacknowledged = models.PositiveIntegerField(_("số sự kiện chưa được xác nhận"), default=0)
    oldest_unacknowledged_at = models.DateTimeField(
        _("sự kiện chưa xác nhận cũ nhất"), null=True, blank=True
    )
    consecutive_failures = models.PositiveIntegerField(_("số lần lỗi liên tiếp"), default=0)
    total_failures = models.PositiveIntegerField(_("tổng số lần lỗi"), default=0)
    late_events = models.PositiveIntegerField(_("số sự kiện đồng bộ trễ"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    last_failure_at = models.DateTimeField(_("lỗi lần cuối lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("tình trạng đồng bộ hồ sơ")
        verbose_name_plural = _("tình trạng đồng bộ hồ sơ")
        indexes = [
            models.Index(
                fields=["oldest_unacknowledged_at"],
                name="portalsync_open_idx",
                condition=models.Q(unacknowledged__gt=0),
            )
        ]

    def __str__(self) -> str:
        return str(self.dossier_id)

    def lag_at(self, now: dt.datetime) -> dt.timedelta:
        """Return how long the oldest unacknowledged event has waited (zero when none)."""
        if self.oldest_unacknowledged_at is None:
            return dt.timedelta(0)
        return max(dt.timedelta(0), now - self.oldest_unacknowledged_at)


class ImportStatus(models.TextChoices):
    IMPORTED = "imported", _("Đã đưa vào hàng chờ tiếp nhận")
    REJECTED = "rejected", _("Dữ liệu không hợp lệ, không nhận")


class PortalImport(models.Model):
    portal_code = models.CharField(_("mã hồ sơ trên Cổng"), max_length=60, unique=True)
    dossier = models.OneToOneField(
        Dossier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hồ sơ"),
    )
    status = models.CharField(_("kết quả"), max_length=10, choices=ImportStatus.choices)
    is_eid_authenticated = models.BooleanField(_("tài khoản xác thực VNeID"), default=False)
    payload_sha256 = models.CharField(_("dấu băm dữ liệu"), max_length=64)
    error_code = models.CharField(_("mã lỗi"), max_length=60, blank=True)
    error = models.TextField(_("lý do không nhận"), blank=True)
    attempts = models.PositiveIntegerField(_("số lần nhận"), default=1)
    is_confirmed = models.BooleanField(_("đã báo Cổng"), default=False)
    first_seen_at = models.DateTimeField(_("lấy về lần đầu lúc"))
    updated_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("hồ sơ lấy từ Cổng")
        verbose_name_plural = _("hồ sơ lấy từ Cổng")
        ordering = ["-first_seen_at", "-id"]

    def __str__(self) -> str:
        return self.portal_code
