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

from collections.abc import Callable

from django.db import transaction

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


def _each_dossier(
    messages: list[OutboxMessage], ids: set[int], act: Callable[[Dossier], object]
) -> dict[int, str]:
    """Run ``act`` on each dossier of ``ids``, each in its own savepoint; a dossier whose
    action fails fails only its own messages (retried with back-off), not the batch."""
    failures: dict[int, str] = {}
    for dossier in Dossier.objects.filter(pk__in=ids).order_by("pk") if ids else ():
        try:
            with transaction.atomic():
                act(dossier)
        except NothingToPay:
            continue  # paid or moved on before the relay came by
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            failures.update({m.pk: error for m in messages if int(m.aggregate_id) == dossier.pk})
    return failures


@consumer("dossiers.dossier.*", name="payments.open_order", batch=True)
def open_order(messages: list[OutboxMessage]) -> dict[int, str]:
    """Open the fee order of each dossier of the batch asked to pay (few events are)."""
    asking = {int(m.aggregate_id) for m in messages if m.topic in _ASKS_PAYMENT}
    return _each_dossier(
        messages, asking, lambda dossier: do_open_payment_order(dossier, actor=PAYMENTS_ACTOR)
    )


@consumer("dossiers.dossier.*", name="payments.cancel_unowed_orders", batch=True)
def cancel_unowed_orders(messages: list[OutboxMessage]) -> dict[int, str]:
    """Cancel the open orders of the batch's dossiers that stopped owing: one query for
    the whole batch finds the few dossiers with an open order."""
    moved = {int(m.aggregate_id) for m in messages if m.topic not in _ASKS_PAYMENT}
    owing = (
        set(
            PaymentOrder.objects.filter(dossier_id__in=moved, state=OrderState.PENDING).values_list(
                "dossier_id", flat=True
            )
        )
        if moved
        else set()
    )
    return _each_dossier(
        messages, owing, lambda dossier: do_cancel_unowed_orders(dossier, actor=PAYMENTS_ACTOR)
    )


@consumer("payments.order.paid", name="payments.issue_receipt")
def issue_receipt(message: OutboxMessage) -> None:
    order = PaymentOrder.objects.filter(pk=int(message.payload["order_id"])).first()
    if order is not None:
        do_issue_receipt(order, actor=PAYMENTS_ACTOR)
