"""Fee orders follow the dossier (opened on status 6, cancelled when no longer owed) and a
paid order gets its signed electronic receipt, attached to the dossier."""

from __future__ import annotations

import io

import pypdf
import pytest

from motcua.documents.ca import get_local_ca
from motcua.documents.models import StoredFile
from motcua.documents.signing import SignatureState, check_signature
from motcua.dossiers import actions as dossier_actions
from motcua.payments.actions import (
    PAYMENTS_ACTOR,
    do_handle_notification,
    do_issue_receipt,
    do_open_payment_order,
    do_start_payment,
)
from motcua.payments.models import PaymentOrder
from motcua.payments.states import OrderState
from tests.dossiers import flows
from tests.dossiers.conftest import fails_with
from tests.dossiers.factories import World
from tests.payments.conftest import (
    applicant,
    awaiting_payment,
    notification,
    relay_all,
    started,
)


def test_asking_for_payment_opens_the_order_from_the_fee_lines(world: World) -> None:
    dossier = awaiting_payment(world)

    relay_all()

    order = PaymentOrder.objects.get(dossier=dossier)
    assert order.state == OrderState.PENDING
    assert order.number == f"{dossier.code}-TT1"
    assert order.amount == 75_000
    assert order.currency == "VND"
    assert order.items == [
        {"name": "Lệ phí cấp giấy phép xây dựng", "kind": "fee", "amount": 75000}
    ]
    assert do_open_payment_order(dossier, actor=applicant(), granted={dossier.pk}) == order


def test_no_order_for_a_dossier_without_fees_due(world: World) -> None:
    dossier = flows.in_process(world)

    with fails_with("payments.nothing_to_pay"):
        do_open_payment_order(dossier, actor=applicant(), granted={dossier.pk})

    assert not PaymentOrder.objects.exists()


def test_an_order_no_longer_owed_is_cancelled_and_cannot_be_paid(world: World) -> None:
    dossier = awaiting_payment(world)
    relay_all()
    order = PaymentOrder.objects.get()

    dossier_actions.do_record_payment(dossier, actor=world.actors["desk"], reference="BL-1")
    relay_all()

    order.refresh_from_db()
    assert order.state == OrderState.CANCELLED
    with fails_with("payments.order_not_payable"):
        do_start_payment(order, actor=applicant(), granted={dossier.pk})


def test_only_the_applicant_opens_and_starts_a_payment(world: World) -> None:
    dossier = awaiting_payment(world)
    with fails_with("payments.not_found"):
        do_open_payment_order(dossier, actor=applicant(), granted={dossier.pk + 1})
    order = do_open_payment_order(dossier, actor=applicant(), granted={dossier.pk})

    with fails_with("payments.not_found"):
        do_start_payment(order, actor=applicant(), granted={dossier.pk + 1})


def test_a_paid_order_gets_its_receipt_once(world: World) -> None:
    dossier, order, attempt = started(world)
    do_handle_notification(notification(attempt))

    relay_all()
    relay_all()

    order.refresh_from_db()
    assert order.receipt is not None
    receipt = order.receipt
    assert (receipt.subject_type, receipt.subject_id) == ("dossiers.dossier", str(dossier.pk))
    assert receipt.purpose == "payment_receipt"
    assert receipt.content_type == "application/pdf"
    assert StoredFile.objects.filter(purpose="payment_receipt").count() == 1
    assert do_issue_receipt(order, actor=PAYMENTS_ACTOR).receipt_id == receipt.pk


@pytest.mark.slow
def test_the_receipt_is_a_signed_vietnamese_pdf(world: World, real_pdf: None) -> None:
    _dossier, order, attempt = started(world)
    do_handle_notification(notification(attempt))

    order = do_issue_receipt(order, actor=PAYMENTS_ACTOR)

    assert order.receipt is not None
    data = order.receipt.file.read()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text
    assert "75.000 đồng" in text
    assert order.number in text
    assert "14000001" in text
    assert (
        check_signature(data, trust_root=get_local_ca().root_certificate()).state
        is SignatureState.TRUSTED
    )


def test_a_dossier_whose_cancellation_fails_holds_back_only_its_own_messages(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from motcua.integration.models import OutboxMessage, OutboxStatus
    from motcua.payments import consumers

    first, second = awaiting_payment(world), awaiting_payment(world)
    relay_all()

    def cancel(dossier, *, actor):  # type: ignore[no-untyped-def]
        if dossier.pk == first.pk:
            raise RuntimeError("platform unreachable")
        return original(dossier, actor=actor)

    original = consumers.do_cancel_unowed_orders
    monkeypatch.setattr(consumers, "do_cancel_unowed_orders", cancel)
    for dossier in (first, second):
        dossier_actions.do_record_payment(dossier, actor=world.actors["desk"], reference="BL")
    relay_all()

    states = dict(PaymentOrder.objects.values_list("dossier_id", "state"))
    assert states == {first.pk: OrderState.PENDING, second.pk: OrderState.CANCELLED}
    failing = OutboxMessage.objects.filter(last_error__contains="platform unreachable")
    assert {m.aggregate_id for m in failing} == {str(first.pk)}
    assert all(m.status == OutboxStatus.PENDING for m in failing)
