"""The fee order's lifecycle as data (``payments.order``); only the system moves it.

``pending`` → ``paid`` when a verified payment is applied to a dossier still awaiting it;
``pending`` or ``cancelled`` → ``refund_due`` when the platform took the money but the
dossier no longer awaited it (paid at the desk meanwhile, withdrawn, stopped): the
money must be refunded by the finance officer, the dossier is not moved; ``pending`` →
``cancelled`` when the dossier stops owing the fees by another way.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.workflow.machine import StateMachine, Transition
from motcua.workflow.registry import register

__all__ = ["ORDER_MACHINE", "OrderState"]


class OrderState(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    CANCELLED = "cancelled", _("Đã hủy")
    REFUND_DUE = "refund_due", _("Đã nhận tiền, cần hoàn trả")


_O = OrderState
# No official holds this role: the system actor (which holds every role) alone moves orders.
_SYSTEM_ONLY = frozenset({"payments_system"})

ORDER_MACHINE = register(
    StateMachine(
        name="payments.order",
        model_label="payments.PaymentOrder",
        field="state",
        states=list(OrderState.choices),
        transitions=[
            Transition(
                "settle",
                frozenset({_O.PENDING}),
                _O.PAID,
                _("Ghi nhận đã thanh toán"),
                roles=_SYSTEM_ONLY,
                is_system=True,
            ),
            Transition(
                "settle_unapplied",
                frozenset({_O.PENDING, _O.CANCELLED}),
                _O.REFUND_DUE,
                _("Đã nhận tiền nhưng hồ sơ không còn chờ nộp phí"),
                roles=_SYSTEM_ONLY,
                is_system=True,
            ),
            Transition(
                "cancel",
                frozenset({_O.PENDING}),
                _O.CANCELLED,
                _("Hủy đơn thanh toán"),
                roles=_SYSTEM_ONLY,
                is_system=True,
            ),
        ],
        initial=_O.PENDING,
        terminal=frozenset({_O.PAID, _O.REFUND_DUE}),
    )
)
