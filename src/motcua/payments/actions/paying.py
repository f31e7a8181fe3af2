"""Paying: open an order, start an attempt, apply the platform's word (notification or
reconciliation), cancel orders no longer owed.

A dossier is paid only here, only on a notification whose HMAC, reference, amount and
currency check out (or on the platform's signed answer to our query), and only once
per platform transaction id: the attempt's status is compare-and-set and its
``transaction_no`` is unique, so a replayed or concurrent notification finds it taken
and changes nothing. Then, in one transaction: the attempt, the dossier
(``dossiers.actions.do_record_payment`` with the system actor), the order
(``settle``) and the ``payments.order.paid`` outbox message.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from motcua.audit import actions as audit
from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.models import Dossier
from motcua.integration import outbox
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.logging import get_logger
from motcua.payments import platform
from motcua.payments.errors import (
    AlreadyConfirmed,
    BadSignature,
    NothingToPay,
    NotificationRejected,
    OrderNotPayable,
    PaymentNotFound,
    PlatformUnavailable,
    UnknownTransaction,
    WrongAmount,
    WrongCurrency,
)
from motcua.payments.events import OrderPaid
from motcua.payments.models import AttemptStatus, PaymentAttempt, PaymentOrder
from motcua.payments.platform import PlatformClient, PlatformTransaction
from motcua.payments.selectors import can_pay, owes_online_payment
from motcua.payments.states import ORDER_MACHINE, OrderState
from motcua.workflow.engine import apply_transition

__all__ = [
    "PAYMENTS_ACTOR",
    "CheckOutcome",
    "ReconcileStats",
    "StartedPayment",
    "do_cancel_unowed_orders",
    "do_check_attempt",
    "do_handle_notification",
    "do_open_payment_order",
    "do_reconcile_payments",
    "do_start_payment",
]

log = get_logger(__name__)

PAYMENTS_ACTOR = Actor.system("payments")
ORDER = "payments.order"
ATTEMPT = "payments.attempt"

_UNPAID_STATUS = {
    "cancelled": AttemptStatus.CANCELLED,
    "failed": AttemptStatus.FAILED,
    "expired": AttemptStatus.EXPIRED,
}


def _attempt_minutes() -> int:
    return int(getattr(settings, "PAYMENT_ATTEMPT_MINUTES", 15))


def _check_after() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "PAYMENT_CHECK_AFTER_SECONDS", 60)))


def _check_backoff(checks: int) -> dt.timedelta:
    cap = float(getattr(settings, "PAYMENT_CHECK_MAX_SECONDS", 900))
    return dt.timedelta(seconds=min(cap, _check_after().total_seconds() * (2 ** max(0, checks))))


# --- orders ----------------------------------------------------------------------------


def do_open_payment_order(
    dossier: Dossier, *, actor: Actor, granted: Collection[int] = ()
) -> PaymentOrder:
    """Return the dossier's open fee order, creating it from the dossier's fee lines.

    The system, or the applicant (``selectors.can_pay``), only: anyone else gets
    ``payments.not_found``. Raise ``payments.nothing_to_pay`` when the dossier has no
    fees to pay online now (not in status 6 or a ready result with fees due, or paid).
    """
    dossier = Dossier.objects.select_related("procedure_version").get(pk=dossier.pk)
    if not actor.is_system and not can_pay(dossier, actor, granted):
        raise PaymentNotFound()
    if not owes_online_payment(dossier):
        raise NothingToPay(params={"code": dossier.code or dossier.reference})
    existing = PaymentOrder.objects.filter(dossier=dossier, state=OrderState.PENDING).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            count = PaymentOrder.objects.filter(dossier=dossier).count()
            order = PaymentOrder.objects.create(
                number=f"{dossier.code}-TT{count + 1}",
                dossier=dossier,
                items=[
                    {
                        "name": str(line["name"]),
                        "kind": str(line.get("kind", "")),
                        "amount": int(line["amount"]),
                    }
                    for line in dossier.fees
                ],
                amount=dossier.fee_total,
                created_at=clock.now(),
            )
            audit.record(
                actor=actor,
                action=f"{ORDER}.open",
                aggregate_type=ORDER,
                aggregate_id=order.pk,
                data={"dossier": dossier.pk, "number": order.number, "amount": order.amount},
            )
    except IntegrityError:
        # Two requests opened it at once: the other one won, use its order.
        existing = PaymentOrder.objects.filter(dossier=dossier, state=OrderState.PENDING).first()
        if existing is None:
            raise
        return existing
    return order


def do_cancel_unowed_orders(dossier: Dossier, *, actor: Actor) -> int:
    """Cancel the dossier's open orders when it no longer owes the fees; return how many.

    Called when the dossier moves (paid at the desk, withdrawn, stopped …). An attempt
    still open at the platform is left to the reconciliation: if the money arrives
    after all, the order becomes ``refund_due``.
    """
    fresh = Dossier.objects.get(pk=dossier.pk)
    if owes_online_payment(fresh):
        return 0
    cancelled = 0
    with transaction.atomic():
        for order in PaymentOrder.objects.filter(dossier=fresh, state=OrderState.PENDING):
            apply_transition(
                order,
                ORDER_MACHINE,
                "cancel",
                actor=actor,
                aggregate_type=ORDER,
                audit_data={"dossier_state": fresh.state},
                payload={"dossier_id": fresh.pk, "order_id": order.pk},
            )
            cancelled += 1
    return cancelled


# --- attempts --------------------------------------------------------------------------


@dataclass(frozen=True)
class StartedPayment:
    attempt: PaymentAttempt
    checkout_url: str


def do_start_payment(
    order: PaymentOrder,
    *,
    actor: Actor,
    granted: Collection[int] = (),
    locale: str = "vi",
    client: PlatformClient | None = None,
) -> StartedPayment:
    """Start paying ``order`` on the platform; return the attempt and the checkout address.

    Only the applicant may (``selectors.can_pay``): anyone else gets ``payments.not_found``.
    Raise ``payments.order_not_payable`` unless the order is pending, and
    ``payments.nothing_to_pay`` (cancelling the order) when the dossier no longer owes
    it. The reconciliation checks the attempt after ``PAYMENT_CHECK_AFTER_SECONDS``.
    """
    client = client or PlatformClient()
    with transaction.atomic():
        locked = PaymentOrder.objects.select_for_update().select_related("dossier").get(pk=order.pk)
        dossier = locked.dossier
        if not can_pay(dossier, actor, granted):
            raise PaymentNotFound()
        if locked.state != OrderState.PENDING:
            raise OrderNotPayable(params={"state": ORDER_MACHINE.label_of(locked.state)})
        if not owes_online_payment(dossier) or dossier.fee_total != locked.amount:
            raise NothingToPay(params={"code": dossier.code or dossier.reference})
        now = clock.now()
        attempt = PaymentAttempt.objects.create(
            order=locked,
            reference=secrets.token_hex(10).upper(),
            amount=locked.amount,
            started_at=now,
            started_by=actor.ref,
            expires_at=now + dt.timedelta(minutes=_attempt_minutes()),
            next_check_at=now + _check_after(),
        )
        audit.record(
            actor=actor,
            action=f"{ATTEMPT}.start",
            aggregate_type=ORDER,
            aggregate_id=locked.pk,
            data={"reference": attempt.reference, "amount": attempt.amount},
        )
        attempt_id, run_after = attempt.pk, attempt.next_check_at
        transaction.on_commit(lambda: _schedule_check(attempt_id, run_after))
    url = client.checkout_url(
        reference=attempt.reference,
        amount=attempt.amount,
        order_info=f"Thanh toan phi, le phi ho so {dossier.code}",
        locale=locale,
        return_path=reverse("payments:return"),
        notify_path=reverse("payments:notify"),
        created_at=attempt.started_at,
        expires_at=attempt.expires_at,
    )
    return StartedPayment(attempt=attempt, checkout_url=url)


def _schedule_check(attempt_id: int, run_after: dt.datetime | None) -> None:
    from motcua.payments.tasks import check_payment_attempt

    check_payment_attempt.using(run_after=run_after).enqueue(attempt_id)


# --- the platform's word ---------------------------------------------------------------


def do_handle_notification(fields: Mapping[str, str]) -> PaymentAttempt:
    """Apply a notification (server to server) from the platform; return the attempt.

    Checks, in order, before anything is written: every field present
    (``payments.malformed_notification``), the HMAC (``payments.bad_signature``), the
    merchant and the reference (``payments.unknown_transaction``), the currency and
    the amount (``payments.wrong_currency``, ``payments.wrong_amount``), and that this
    transaction was not applied already (``payments.already_confirmed``).
    """
    config = PlatformClient().config
    values = {str(k): str(v) for k, v in fields.items()}
    reported = PlatformTransaction.from_fields(values)
    if not platform.verify(values, config.secret):
        raise BadSignature()
    if values.get("merchant") != config.merchant_id:
        raise UnknownTransaction()
    return _apply(reported, via="notification")


def _check_reported(attempt: PaymentAttempt, reported: PlatformTransaction) -> None:
    if reported.currency != attempt.order.currency:
        raise WrongCurrency(params={"given": reported.currency[:8]})
    if reported.amount != attempt.amount:
        raise WrongAmount(params={"given": reported.amount, "expected": attempt.amount})


def _apply(reported: PlatformTransaction, *, via: str) -> PaymentAttempt:
    attempt = (
        PaymentAttempt.objects.select_related("order")
        .filter(reference=reported.reference[:32])
        .first()
    )
    if attempt is None:
        raise UnknownTransaction()
    _check_reported(attempt, reported)
    if reported.status == "paid":
        return _apply_paid(attempt, reported, via=via)
    status = _UNPAID_STATUS.get(reported.status, AttemptStatus.FAILED)
    return _apply_unpaid(attempt, status, reported.response_code, via=via)


def _apply_paid(
    attempt: PaymentAttempt, reported: PlatformTransaction, *, via: str
) -> PaymentAttempt:
    if not reported.transaction_no:
        raise AlreadyConfirmed() if attempt.status == AttemptStatus.PAID else UnknownTransaction()
    now = clock.now()
    paid_at = reported.paid_at or now
    with transaction.atomic():
        try:
            with transaction.atomic():
                # A late notification after our own expiry is still money received.
                changed = PaymentAttempt.objects.filter(
                    pk=attempt.pk, status__in=(AttemptStatus.STARTED, AttemptStatus.EXPIRED)
                ).update(
                    status=AttemptStatus.PAID,
                    transaction_no=reported.transaction_no,
                    response_code=reported.response_code,
                    settled_at=now,
                    settled_via=via,
                    next_check_at=None,
                )
        except IntegrityError:
            raise AlreadyConfirmed() from None  # this transaction id paid another attempt
        if changed != 1:
            raise AlreadyConfirmed()
        order = PaymentOrder.objects.select_for_update().get(pk=attempt.order_id)
        dossier = Dossier.objects.select_related(
            "receiving_desk", "current_agency", "procedure_version", "case"
        ).get(pk=order.dossier_id)
        audit.record(
            actor=PAYMENTS_ACTOR,
            action=f"{ATTEMPT}.paid",
            aggregate_type=ORDER,
            aggregate_id=order.pk,
            data={
                "reference": attempt.reference,
                "transaction_no": reported.transaction_no,
                "amount": reported.amount,
                "via": via,
            },
        )
        applies = (
            order.state == OrderState.PENDING
            and owes_online_payment(dossier)
            and dossier.fee_total == order.amount
        )
        if applies:
            dossier_actions.do_record_payment(dossier, actor=PAYMENTS_ACTOR, reference=order.number)
            apply_transition(
                order,
                ORDER_MACHINE,
                "settle",
                actor=PAYMENTS_ACTOR,
                aggregate_type=ORDER,
                updates={"paid_at": paid_at, "transaction_no": reported.transaction_no},
                audit_data={"transaction_no": reported.transaction_no, "via": via},
                payload={"dossier_id": dossier.pk, "order_id": order.pk},
            )
            event = OrderPaid(
                dossier_id=dossier.pk, order_id=order.pk, amount=order.amount, paid_at=paid_at
            )
            outbox.enqueue(
                topic=event.topic,
                aggregate_type=ORDER,
                aggregate_id=order.pk,
                payload=event.payload(),
            )
        elif order.state in (OrderState.PENDING, OrderState.CANCELLED):
            apply_transition(
                order,
                ORDER_MACHINE,
                "settle_unapplied",
                actor=PAYMENTS_ACTOR,
                aggregate_type=ORDER,
                updates={"paid_at": paid_at, "transaction_no": reported.transaction_no},
                audit_data={
                    "transaction_no": reported.transaction_no,
                    "dossier_state": dossier.state,
                },
                payload={"dossier_id": dossier.pk, "order_id": order.pk},
            )
            log.warning("payments.refund_due", order_id=order.pk, reason="dossier_not_awaiting")
        else:
            # The order was paid by another attempt: this money is a second payment.
            audit.record(
                actor=PAYMENTS_ACTOR,
                action=f"{ATTEMPT}.duplicate_payment",
                aggregate_type=ORDER,
                aggregate_id=order.pk,
                data={"reference": attempt.reference, "transaction_no": reported.transaction_no},
            )
            log.warning("payments.refund_due", order_id=order.pk, reason="duplicate_payment")
    attempt.refresh_from_db()
    return attempt


def _apply_unpaid(
    attempt: PaymentAttempt, status: AttemptStatus, response_code: str, *, via: str
) -> PaymentAttempt:
    if attempt.status != AttemptStatus.STARTED:
        raise AlreadyConfirmed()
    with transaction.atomic():
        changed = PaymentAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.STARTED).update(
            status=status,
            response_code=response_code[:4],
            settled_at=clock.now(),
            settled_via=via,
            next_check_at=None,
        )
        if changed != 1:
            raise AlreadyConfirmed()
        audit.record(
            actor=PAYMENTS_ACTOR,
            action=f"{ATTEMPT}.{status.value}",
            aggregate_type=ORDER,
            aggregate_id=attempt.order_id,
            data={"reference": attempt.reference, "response_code": response_code[:4], "via": via},
        )
    attempt.refresh_from_db()
    return attempt


# --- reconciliation --------------------------------------------------------------------


@dataclass(frozen=True)
class CheckOutcome:
    reference: str
    outcome: str  # paid, failed, cancelled, expired, pending, unavailable, already


def do_check_attempt(
    attempt: PaymentAttempt, *, client: PlatformClient | None = None
) -> CheckOutcome:
    """Ask the platform about one open attempt and settle it: paid, failed, expired.

    The query is made outside any transaction. Still pending → checked again later
    (back-off); unknown to the platform past its expiry → ``expired``; the platform
    unreachable → checked again later. Return what happened.
    """
    client = client or PlatformClient()
    attempt = PaymentAttempt.objects.select_related("order").get(pk=attempt.pk)
    if attempt.status != AttemptStatus.STARTED:
        return CheckOutcome(attempt.reference, "already")
    now = clock.now()
    try:
        reported = client.query(attempt.reference)
    except (PlatformUnavailable, BadSignature) as exc:
        log.warning("payments.query_failed", reference=attempt.reference, error=exc.code)
        _reschedule(attempt, now)
        return CheckOutcome(attempt.reference, "unavailable")
    if reported.reference != attempt.reference:
        _reschedule(attempt, now)
        return CheckOutcome(attempt.reference, "unavailable")
    try:
        if reported.status in ("pending", "unknown"):
            if now < attempt.expires_at or reported.status == "pending":
                _reschedule(attempt, now)
                return CheckOutcome(attempt.reference, "pending")
            _apply_unpaid(attempt, AttemptStatus.EXPIRED, "", via="reconciliation")
            return CheckOutcome(attempt.reference, "expired")
        _check_reported(attempt, reported)
        if reported.status == "paid":
            _apply_paid(attempt, reported, via="reconciliation")
        else:
            status = _UNPAID_STATUS.get(reported.status, AttemptStatus.FAILED)
            _apply_unpaid(attempt, status, reported.response_code, via="reconciliation")
    except AlreadyConfirmed:
        return CheckOutcome(attempt.reference, "already")
    except NotificationRejected as exc:
        # The platform's own answer does not match the attempt: never settle on it.
        log.error("payments.query_rejected", reference=attempt.reference, error=exc.code)
        _reschedule(attempt, now)
        return CheckOutcome(attempt.reference, "rejected")
    return CheckOutcome(attempt.reference, reported.status)


def _reschedule(attempt: PaymentAttempt, now: dt.datetime) -> None:
    # A platform still "pending" long after the attempt expired is asked less and less often.
    PaymentAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.STARTED).update(
        next_check_at=now + _check_backoff(attempt.checks + 1), checks=attempt.checks + 1
    )


@dataclass
class ReconcileStats:
    checked: int = 0
    settled: int = 0
    pending: int = 0
    unavailable: int = 0


def do_reconcile_payments(
    *, at: dt.datetime | None = None, limit: int = 100, client: PlatformClient | None = None
) -> ReconcileStats:
    """Check every open attempt whose check is due; return the counts. Safe to run twice."""
    from motcua.payments.selectors import list_attempts_to_check

    client = client or PlatformClient()
    stats = ReconcileStats()
    for attempt in list(list_attempts_to_check(at or clock.now(), limit=limit)):
        outcome = do_check_attempt(attempt, client=client).outcome
        stats.checked += 1
        if outcome == "pending":
            stats.pending += 1
        elif outcome in ("unavailable", "rejected"):
            stats.unavailable += 1
        elif outcome != "already":
            stats.settled += 1
    if stats.checked:
        log.info("payments.reconciled", **vars(stats))
    return stats
