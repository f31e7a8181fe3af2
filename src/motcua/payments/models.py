"""Fee orders and the attempts to pay them on the national payment platform.

``PaymentOrder.state`` moves only through ``workflow.apply_transition``
(``states.ORDER_MACHINE``); an attempt's ``status`` is a plain field written by the
actions with compare-and-set updates. One-row invariants are constraints: one open
order per dossier, one attempt per platform transaction id (the idempotency key of
the platform's notifications), amounts positive.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.documents.models import StoredFile
from motcua.dossiers.models import Dossier
from motcua.payments.states import OrderState

__all__ = ["AttemptStatus", "PaymentAttempt", "PaymentOrder"]


class PaymentOrder(models.Model):
    """What the applicant owes for one dossier: its fee lines, in whole đồng (VND)."""

    # In the addresses of the citizen's pages: unguessable, unlike the primary key.
    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    # "<dossier code>-TT<n>", printed on the receipt and recorded on the dossier.
    number = models.CharField(_("số đơn thanh toán"), max_length=80, unique=True)
    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.PROTECT,
        related_name="payment_orders",
        verbose_name=_("hồ sơ"),
    )
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=OrderState.choices, default=OrderState.PENDING
    )
    # [{"name": str, "kind": str, "amount": int}] copied from the dossier's fee lines.
    items = models.JSONField(_("các khoản thu"), default=list)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    currency = models.CharField(_("loại tiền"), max_length=3, default="VND")
    created_at = models.DateTimeField(_("thời điểm tạo"))
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    transaction_no = models.CharField(_("mã giao dịch của nền tảng"), max_length=64, blank=True)
    receipt = models.ForeignKey(
        StoredFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("biên lai điện tử"),
    )

    class Meta:
        verbose_name = _("đơn thanh toán phí, lệ phí")
        verbose_name_plural = _("đơn thanh toán phí, lệ phí")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["dossier", "-created_at"], name="payment_order_dossier_idx"),
            models.Index(fields=["state", "-created_at"], name="payment_order_state_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=models.Q(state="pending"),
                name="payment_order_one_open",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_order_amount"),
        ]

    def __str__(self) -> str:
        return self.number


class AttemptStatus(models.TextChoices):
    STARTED = "started", _("Đang chờ kết quả từ nền tảng")
    PAID = "paid", _("Thành công")
    FAILED = "failed", _("Không thành công")
    CANCELLED = "cancelled", _("Người nộp đã hủy")
    EXPIRED = "expired", _("Hết hạn")


class PaymentAttempt(models.Model):
    """One visit to the platform's checkout for an order (the platform's "TxnRef")."""

    order = models.ForeignKey(
        PaymentOrder, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("đơn")
    )
    # Our reference sent to the platform: unguessable, it is in the return address.
    reference = models.CharField(_("mã tham chiếu"), max_length=32, unique=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    status = models.CharField(
        _("kết quả"), max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.STARTED
    )
    # The platform's transaction id: a replayed notification finds it already used.
    transaction_no = models.CharField(
        _("mã giao dịch của nền tảng"), max_length=64, unique=True, null=True, blank=True
    )
    response_code = models.CharField(_("mã phản hồi"), max_length=4, blank=True)
    started_at = models.DateTimeField(_("thời điểm bắt đầu"))
    started_by = models.CharField(_("người thực hiện"), max_length=80)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    settled_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    # "notification" (the platform's call) or "reconciliation" (our query).
    settled_via = models.CharField(_("kết quả nhận qua"), max_length=16, blank=True)
    next_check_at = models.DateTimeField(_("đối soát lần tới"), null=True, blank=True)
    checks = models.PositiveSmallIntegerField(_("số lần đối soát"), default=0)

    class Meta:
        verbose_name = _("lượt thanh toán")
        verbose_name_plural = _("lượt thanh toán")
        ordering = ["-started_at", "-id"]
        indexes = [
            # The reconciliation reads only the attempts still waiting for a result.
            models.Index(
                fields=["next_check_at", "id"],
                name="payment_attempt_open_idx",
                condition=models.Q(status="started"),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_attempt_amount"),
        ]

    def __str__(self) -> str:
        return self.reference
