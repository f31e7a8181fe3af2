"""The platform's notification: the only way a dossier is paid online (R56), and every way
it is refused (bad signature, wrong amount or currency, unknown reference, replay)."""

from __future__ import annotations

import pytest

from motcua.audit.models import AuditEvent
from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import DossierState
from motcua.integration.models import OutboxMessage
from motcua.kernel.clock import VN_TZ
from motcua.payments.actions import (
    do_handle_notification,
    do_open_payment_order,
    do_start_payment,
)
from motcua.payments.models import AttemptStatus, PaymentAttempt, PaymentOrder
from motcua.payments.states import OrderState
from tests.dossiers import flows
from tests.dossiers.conftest import fails_with
from tests.dossiers.factories import World
from tests.payments.conftest import (
    applicant,
    audit_actions,
    notification,
    payment_snapshot,
    relay_all,
    signed,
    started,
)


def test_a_verified_notification_pays_the_dossier_and_enqueues_the_contract_event(
    world: World,
) -> None:
    dossier, order, attempt = started(world)

    do_handle_notification(notification(attempt))

    dossier = Dossier.objects.get(pk=dossier.pk)
    order = PaymentOrder.objects.get(pk=order.pk)
    attempt = PaymentAttempt.objects.get(pk=attempt.pk)
    assert dossier.state == DossierState.IN_PROCESS
    assert dossier.national_status == 4
    assert dossier.payment_reference == order.number == f"{dossier.code}-TT1"
    assert dossier.paid_at is not None
    assert order.state == OrderState.PAID
    assert order.transaction_no == "14000001"
    assert order.paid_at is not None
    assert order.paid_at.astimezone(VN_TZ).strftime("%Y%m%d%H%M%S") == "20251006091500"
    assert attempt.status == AttemptStatus.PAID
    assert attempt.settled_via == "notification"
    assert attempt.next_check_at is None
    paid = OutboxMessage.objects.get(topic="payments.order.paid")
    assert paid.payload == {
        "dossier_id": dossier.pk,
        "order_id": order.pk,
        "amount": 75_000,
        "paid_at": "2025-10-06T02:15:00Z",
        "channel": "online",
    }
    assert OutboxMessage.objects.filter(topic="dossiers.dossier.record_payment").count() == 1
    assert OutboxMessage.objects.filter(topic="payments.order.settle").count() == 1
    assert audit_actions("payments.") == [
        "payments.order.open",
        "payments.attempt.start",
        "payments.attempt.paid",
        "payments.order.settle",
    ]
    recorded = AuditEvent.objects.get(action="dossiers.dossier.record_payment")
    assert recorded.actor_ref == "system:payments"


def test_a_result_waiting_for_its_fees_is_released_by_the_payment(world: World) -> None:
    dossier = flows.at_construction(world)
    a = world.actors
    dossier_actions.do_submit_for_review(dossier, actor=a["construction_handler"])
    dossier_actions.do_approve_dossier(dossier, actor=a["construction_reviewer"])
    dossier_actions.do_sign_result(dossier, actor=a["construction_signer"])
    assert dossier.state == DossierState.RESULT_AWAITING_PAYMENT
    order = do_open_payment_order(dossier, actor=applicant(), granted={dossier.pk})
    attempt = do_start_payment(order, actor=applicant(), granted={dossier.pk}).attempt

    do_handle_notification(notification(attempt))

    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == DossierState.RESULT_READY
    assert dossier.national_status == 9


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        ({"signature": "0" * 128}, "payments.bad_signature"),
        ({"amount": "74000"}, "payments.bad_signature"),  # changed after signing
        ({"resign_amount": 74_000}, "payments.wrong_amount"),
        ({"resign_amount": 750_000}, "payments.wrong_amount"),
        ({"resign_currency": "USD"}, "payments.wrong_currency"),
        ({"resign_reference": "NO-SUCH-REFERENCE"}, "payments.unknown_transaction"),
        ({"resign_merchant": "SOMEONE-ELSE"}, "payments.unknown_transaction"),
        ({"drop": "transaction_no"}, "payments.malformed_notification"),
        ({"resign_amount": "bảy mươi lăm nghìn"}, "payments.malformed_notification"),
    ],
)
def test_a_bad_notification_is_refused_and_changes_nothing(
    world: World, tamper: dict[str, object], code: str
) -> None:
    _dossier, _order, attempt = started(world)
    fields = notification(attempt)
    for key, value in tamper.items():
        if key.startswith("resign_"):
            fields = notification(attempt, **{key.removeprefix("resign_"): value})
        elif key == "drop":
            fields = {k: v for k, v in fields.items() if k != value}
        else:
            fields[key] = str(value)
    before = payment_snapshot()

    with fails_with(code):
        do_handle_notification(fields)

    assert payment_snapshot() == before


def test_a_notification_signed_with_another_key_is_refused(world: World) -> None:
    _dossier, _order, attempt = started(world)
    fields = notification(attempt)
    forged = signed({k: v for k, v in fields.items() if k != "signature"}, secret="guessed")
    before = payment_snapshot()

    with fails_with("payments.bad_signature"):
        do_handle_notification(forged)

    assert payment_snapshot() == before


def test_a_replayed_notification_is_acknowledged_once_and_changes_nothing(world: World) -> None:
    _dossier, _order, attempt = started(world)
    fields = notification(attempt)
    do_handle_notification(fields)
    before = payment_snapshot()

    with fails_with("payments.already_confirmed"):
        do_handle_notification(fields)

    assert payment_snapshot() == before
    assert OutboxMessage.objects.filter(topic="payments.order.paid").count() == 1


def test_a_transaction_id_already_used_by_another_attempt_is_a_replay(world: World) -> None:
    dossier, order, first = started(world)
    do_handle_notification(notification(first, response_code="24", transaction_no="14000001"))
    second = do_start_payment(order, actor=applicant(), granted={dossier.pk}).attempt
    do_handle_notification(notification(second, transaction_no="14000002"))
    assert PaymentOrder.objects.get(pk=order.pk).state == OrderState.PAID
    before = payment_snapshot()

    with fails_with("payments.already_confirmed"):
        do_handle_notification(notification(first, transaction_no="14000002"))

    assert payment_snapshot() == before


def test_a_refusal_or_cancellation_leaves_the_order_payable(world: World) -> None:
    dossier, order, attempt = started(world)

    do_handle_notification(notification(attempt, response_code="24"))

    attempt.refresh_from_db()
    order.refresh_from_db()
    assert attempt.status == AttemptStatus.CANCELLED
    assert order.state == OrderState.PENDING
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.AWAITING_PAYMENT
    retry = do_start_payment(order, actor=applicant(), granted={dossier.pk}).attempt
    do_handle_notification(notification(retry, response_code="51", transaction_no=""))
    retry.refresh_from_db()
    assert retry.status == AttemptStatus.FAILED
    assert not OutboxMessage.objects.filter(topic="payments.order.paid").exists()


def test_money_for_a_dossier_no_longer_awaiting_payment_is_flagged_for_refund(
    world: World,
) -> None:
    dossier, order, attempt = started(world)
    # Meanwhile the applicant paid in cash at the desk.
    dossier_actions.do_record_payment(dossier, actor=world.actors["desk"], reference="BL-0001")

    do_handle_notification(notification(attempt))

    dossier = Dossier.objects.get(pk=dossier.pk)
    order.refresh_from_db()
    attempt.refresh_from_db()
    assert dossier.state == DossierState.IN_PROCESS
    assert dossier.payment_reference == "BL-0001"
    assert order.state == OrderState.REFUND_DUE
    assert attempt.status == AttemptStatus.PAID
    assert not OutboxMessage.objects.filter(topic="payments.order.paid").exists()
    assert audit_actions("payments.order.settle") == ["payments.order.settle_unapplied"]


def test_a_notification_for_a_withdrawn_dossier_never_moves_it(world: World) -> None:
    dossier, order, attempt = started(world)
    relay_all()
    dossier.refresh_from_db()
    # The desk records the payment, which cancels the open order (consumer).
    dossier_actions.do_record_payment(dossier, actor=world.actors["desk"], reference="BL-0002")
    relay_all()
    order.refresh_from_db()
    assert order.state == OrderState.CANCELLED

    do_handle_notification(notification(attempt))

    order.refresh_from_db()
    assert order.state == OrderState.REFUND_DUE
    assert Dossier.objects.get(pk=dossier.pk).payment_reference == "BL-0002"
