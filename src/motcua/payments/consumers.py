"""Outbox consumers of the payments app (registered when the app is ready).

* A dossier asked to pay (``request_payment``, ``sign_result_pending_payment``) gets
  its fee order at once, so the notification can link to it.
* A dossier that stops owing its fees by another way (paid at the desk, withdrawn,
  stopped) has its open orders cancelled.
* A paid order gets its electronic receipt (rendering is slow: it never holds up the
  platform's notification).

Each is idempotent: an open order is reused, a cancelled one is not cancelled twice, a
receipt is issued once.
"""

from __future__ import annotations

from motcua.dossiers.models import Dossier
from motcua.integration.consumers import consumer
from motcua.integration.models import OutboxMessage
from motcua.payments.actions import (
    PAYMENTS_ACTOR,
    do_cancel_unowed_orders,
    do_issue_receipt,
    do_open_payment_order,
)
from motcua.payments.errors import NothingToPay
from motcua.payments.models import PaymentOrder
from motcua.payments.states import OrderState

__all__ = ["cancel_unowed_orders", "issue_receipt", "open_order"]

_ASKS_PAYMENT = frozenset(
    {"dossiers.dossier.request_payment", "dossiers.dossier.sign_result_pending_payment"}
)


@consumer("dossiers.dossier.*", name="payments.open_order")
def open_order(message: OutboxMessage) -> None:
    if message.topic not in _ASKS_PAYMENT:
        return
    dossier = Dossier.objects.filter(pk=int(message.aggregate_id)).first()
    if dossier is None:
        return
    try:
        do_open_payment_order(dossier, actor=PAYMENTS_ACTOR)
    except NothingToPay:
        return  # paid or moved on before the relay came by


@consumer("dossiers.dossier.*", name="payments.cancel_unowed_orders")
def cancel_unowed_orders(message: OutboxMessage) -> None:
    if message.topic in _ASKS_PAYMENT:
        return
    dossier_id = int(message.aggregate_id)
    if not PaymentOrder.objects.filter(dossier_id=dossier_id, state=OrderState.PENDING).exists():
        return
    do_cancel_unowed_orders(Dossier.objects.get(pk=dossier_id), actor=PAYMENTS_ACTOR)


@consumer("payments.order.paid", name="payments.issue_receipt")
def issue_receipt(message: OutboxMessage) -> None:
    order = PaymentOrder.objects.filter(pk=int(message.payload["order_id"])).first()
    if order is not None:
        do_issue_receipt(order, actor=PAYMENTS_ACTOR)
