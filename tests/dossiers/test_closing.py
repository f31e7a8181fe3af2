"""Return, stop (Form 05), withdrawal, payment (status 6) and payment at collection."""

from __future__ import annotations

import pytest
from django.test import override_settings
from tests.dossiers import flows
from tests.dossiers.conftest import Clock, fails_with, local, reload, snapshot
from tests.dossiers.factories import World, chain_submission

from motcua.documents.models import IssuedDocument
from motcua.dossiers import actions
from motcua.dossiers.models import StopNotice

pytestmark = pytest.mark.django_db


def test_stop_processing_issues_form_05_with_the_reason(world: World, frozen: Clock) -> None:
    dossier = flows.in_process(world)
    frozen.set(local(2025, 10, 7, 9, 0))

    notice = actions.do_stop_processing(
        dossier,
        actor=world.actors["justice_signer"],
        reason="Đất thuộc quy hoạch giao thông, không đủ điều kiện cấp phép.",
        legal_basis="Điều 93 Luật Xây dựng",
    )

    dossier = reload(dossier)
    assert (dossier.state, dossier.national_status, dossier.finished_at) == (
        "stopped",
        8,
        local(2025, 10, 7, 9, 0),
    )
    assert notice.form is not None
    assert notice.form.form_version == "tt03_2025/05"
    assert StopNotice.objects.get().agency == world.justice


def test_stop_under_the_2018_forms_keeps_the_notice_without_form_05(
    world: World, frozen: Clock
) -> None:
    frozen.set(local(2025, 9, 1, 9, 0))
    dossier = flows.in_process(world)

    notice = actions.do_stop_processing(
        dossier, actor=world.actors["justice_signer"], reason="Không đủ điều kiện"
    )

    assert notice.form is None
    assert reload(dossier).state == "stopped"
    assert not IssuedDocument.objects.filter(kind="05").exists()


def test_withdrawal_before_the_result(world: World, frozen: Clock) -> None:
    dossier = flows.transferred(world)
    frozen.set(local(2025, 10, 6, 15, 0))

    actions.do_withdraw_dossier(
        dossier, actor=world.actors["desk"], reason="Đơn xin rút hồ sơ ngày 6/10"
    )

    dossier = reload(dossier)
    assert (dossier.state, dossier.national_status) == ("withdrawn", 7)
    assert dossier.finished_at == local(2025, 10, 6, 15, 0)


def test_form_05_follows_a_withdrawal_only_when_configured(world: World, frozen: Clock) -> None:
    # By default (DOSSIER_FORM_05_ON=stop) a withdrawal issues no Form 05
    first = flows.transferred(world)
    frozen.set(local(2025, 10, 6, 15, 0))
    actions.do_withdraw_dossier(first, actor=world.actors["desk"], reason="Đơn xin rút hồ sơ")
    assert not IssuedDocument.objects.filter(kind="05").exists()

    # Configured for withdrawals, the agency holding the dossier issues it, with the reason
    with override_settings(DOSSIER_FORM_05_ON="withdrawal"):
        second = flows.transferred(world)
        actions.do_withdraw_dossier(second, actor=world.actors["desk"], reason="Đã tự giải quyết")
        notice = IssuedDocument.objects.get(kind="05")
        assert notice.form_version == "tt03_2025/05"
        assert notice.subject_id == str(second.pk)
        # and then a stop (status 8) issues none
        third = flows.in_process(world)
        stopped = actions.do_stop_processing(
            third, actor=world.actors["justice_signer"], reason="Không đủ điều kiện"
        )
        assert stopped.form is None
        assert IssuedDocument.objects.filter(kind="05").count() == 1


def test_withdrawal_of_an_unreceived_submission_has_no_end_time(world: World) -> None:
    dossier = actions.do_register_submission(
        world.desk, actor=world.actors["desk"], submission=chain_submission(world)
    )

    actions.do_withdraw_dossier(dossier, actor=world.actors["desk"], reason="Nộp nhầm thủ tục")

    assert (reload(dossier).state, reload(dossier).finished_at) == ("withdrawn", None)


def test_payment_requested_during_processing_then_recorded(world: World) -> None:
    dossier = flows.in_process(world)
    before = snapshot()
    with fails_with("wrong_state"):
        actions.do_record_payment(dossier, actor=world.actors["desk"])
    assert snapshot() == before

    actions.do_request_payment(dossier, actor=world.actors["justice_handler"])
    assert (dossier.state, dossier.national_status) == ("awaiting_payment", 6)
    actions.do_record_payment(dossier, actor=world.actors["desk"], reference="BL-77")

    dossier = reload(dossier)
    assert (dossier.state, dossier.national_status) == ("in_process", 4)
    assert dossier.payment_reference == "BL-77"
    assert dossier.has_outstanding_fees is False


def test_no_payment_request_for_a_free_procedure(world: World) -> None:
    dossier = flows.in_process(world, chain=False)
    before = snapshot()

    with fails_with("dossier.no_fees"):
        actions.do_request_payment(dossier, actor=world.actors["justice_handler"])

    assert snapshot() == before


@override_settings(DOSSIER_PAY_AT_COLLECTION_PROCEDURES=["1.000001"])
def test_paying_at_collection_releases_the_result_first(world: World) -> None:
    dossier = flows.at_construction(world)
    a = world.actors
    actions.do_submit_for_review(dossier, actor=a["construction_handler"])
    actions.do_approve_dossier(dossier, actor=a["construction_reviewer"])

    actions.do_sign_result(dossier, actor=a["construction_signer"])

    assert (dossier.state, dossier.national_status) == ("result_ready", 9)
    before = snapshot()
    with fails_with("dossier.payment_outstanding"):
        actions.do_return_result(dossier, actor=a["desk"])
    assert snapshot() == before
    actions.do_return_result(dossier, actor=a["desk"], payment_reference="BL-9")
    dossier = reload(dossier)
    assert (dossier.state, dossier.payment_reference) == ("returned", "BL-9")
    assert dossier.paid_at is not None


def test_send_back_returns_the_draft_to_the_officer(world: World) -> None:
    dossier = flows.awaiting_signature(world, chain=False)

    actions.do_send_back_dossier(
        dossier, actor=world.actors["justice_signer"], reason="Sửa trích yếu"
    )

    assert reload(dossier).state == "in_process"
    assert reload(dossier).assignee_id == world.actors["justice_handler"].user_id


def test_control_slip_and_register_are_issued_from_the_record(world: World, frozen: Clock) -> None:
    dossier = flows.transferred(world)
    desk = world.actors["desk"]

    slip = actions.do_issue_control_slip(dossier, actor=world.actors["justice_handler"])
    register = actions.do_issue_dossier_register(
        world.desk, actor=desk, period_from=local(2025, 10, 6), period_to=local(2025, 10, 7)
    )

    assert (slip.kind, slip.form_version, slip.dossier_code) == ("06", "tt03_2025/06", dossier.code)
    assert (register.kind, register.form_version) == ("07", "tt03_2025/07")
    with fails_with("dossier.out_of_scope"):
        actions.do_issue_control_slip(dossier, actor=world.actors["hanoi_signer"])
    with fails_with("dossier.out_of_scope"):
        actions.do_issue_dossier_register(
            world.desk,
            actor=world.actors["commune_desk"],
            period_from=local(2025, 10, 6),
            period_to=local(2025, 10, 7),
        )
