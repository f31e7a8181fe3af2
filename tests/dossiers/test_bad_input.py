"""Every "bad input" case of the issue: a clear error with a stable code, and nothing written."""

from __future__ import annotations

import pytest
from tests.dossiers import flows
from tests.dossiers.conftest import Clock, fails_with, local, reload, snapshot
from tests.dossiers.factories import World, chain_submission

from motcua.dossiers import actions
from motcua.dossiers.actions import SupplementItem
from motcua.dossiers.models import Dossier, SupplementRequest
from motcua.kernel.errors import ConcurrentTransition

pytestmark = pytest.mark.django_db

ITEMS = [SupplementItem("Bản vẽ kết cấu", "Thiếu chữ ký của người thiết kế")]


def test_acting_from_the_wrong_state(world: World) -> None:
    dossier = actions.do_register_submission(
        world.desk, actor=world.actors["desk"], submission=chain_submission(world)
    )
    before = snapshot()

    with fails_with("wrong_state"):
        actions.do_transfer_dossier(dossier, actor=world.actors["desk"])

    assert snapshot() == before


def test_returned_dossier_stays_returned(world: World) -> None:
    dossier = flows.result_ready(world)
    actions.do_return_result(dossier, actor=world.actors["desk"])
    before = snapshot()

    with fails_with("wrong_state"):
        actions.do_receive_supplement(dossier, actor=world.actors["desk"])
    with fails_with("wrong_state"):
        actions.do_stop_processing(dossier, actor=world.actors["justice_signer"], reason="x")

    assert snapshot() == before


def test_second_supplement_request_by_the_same_agency(world: World, frozen: Clock) -> None:
    dossier = flows.in_process(world)
    handler = world.actors["justice_handler"]
    actions.do_request_supplement(dossier, actor=handler, items=ITEMS)
    frozen.set(local(2025, 10, 7, 9, 0))
    actions.do_receive_supplement(dossier, actor=world.actors["desk"])
    before = snapshot()

    with fails_with("dossier.supplement_already_requested"):
        actions.do_request_supplement(dossier, actor=handler, items=ITEMS)

    assert snapshot() == before


def test_the_next_agency_of_the_chain_may_ask_once_too(world: World) -> None:
    dossier = flows.in_process(world)
    actions.do_request_supplement(dossier, actor=world.actors["justice_handler"], items=ITEMS)
    actions.do_receive_supplement(dossier, actor=world.actors["desk"])
    a = world.actors
    actions.do_submit_for_review(dossier, actor=a["justice_handler"])
    actions.do_approve_dossier(dossier, actor=a["justice_reviewer"])
    actions.do_forward_to_next_agency(dossier, actor=a["justice_signer"])
    actions.do_assign_dossier(
        dossier, actor=a["construction_reviewer"], assignee_id=a["construction_handler"].user_id
    )

    actions.do_request_supplement(dossier, actor=a["construction_handler"], items=ITEMS)

    assert SupplementRequest.objects.filter(stage="processing").count() == 2
    assert reload(dossier).supplement_count == 2


def test_supplement_request_without_items_or_reasons(world: World) -> None:
    dossier = flows.in_process(world)
    before = snapshot()

    with fails_with("dossier.empty_supplement_request"):
        actions.do_request_supplement(dossier, actor=world.actors["justice_handler"], items=[])
    with fails_with("dossier.empty_supplement_request"):
        actions.do_request_supplement(
            dossier, actor=world.actors["justice_handler"], items=[SupplementItem("Bản vẽ", "")]
        )

    assert snapshot() == before


def test_second_extension(world: World, frozen: Clock) -> None:
    dossier = flows.in_process(world)
    reviewer = world.actors["justice_reviewer"]
    actions.do_issue_apology(
        dossier, actor=reviewer, reason="Chờ kết quả xác minh", new_due_at=local(2025, 10, 15, 17)
    )
    before = snapshot()

    with fails_with("dossier.extension_already_issued"):
        actions.do_issue_apology(
            dossier, actor=reviewer, reason="Lần nữa", new_due_at=local(2025, 10, 17, 17)
        )

    assert snapshot() == before


def test_extension_after_the_deadline_passed(world: World, frozen: Clock) -> None:
    dossier = flows.in_process(world)  # due Monday 13/10 17:00
    frozen.set(local(2025, 10, 13, 17, 0))
    before = snapshot()

    with fails_with("dossier.extension_after_deadline"):
        actions.do_issue_apology(
            dossier,
            actor=world.actors["justice_reviewer"],
            reason="Chậm",
            new_due_at=local(2025, 10, 17, 17),
        )

    assert snapshot() == before


@pytest.mark.parametrize(
    ("new_due_at", "code"),
    [
        (local(2025, 10, 13, 17, 0), "dossier.extension_not_later"),
        (local(2025, 10, 18, 17, 0), "dossier.extension_not_working_day"),  # a Saturday
    ],
)
def test_extension_date_must_be_later_and_a_working_day(
    world: World, new_due_at: object, code: str
) -> None:
    dossier = flows.in_process(world)
    before = snapshot()

    with fails_with(code):
        actions.do_issue_apology(
            dossier,
            actor=world.actors["justice_reviewer"],
            reason="Chậm",
            new_due_at=new_due_at,  # type: ignore[arg-type]
        )

    assert snapshot() == before


def test_transfer_before_digitisation(world: World) -> None:
    dossier = actions.do_receive_at_desk(
        world.desk, actor=world.actors["desk"], submission=chain_submission(world)
    )
    before = snapshot()

    with fails_with("dossier.digitisation_required"):
        actions.do_transfer_dossier(dossier, actor=world.actors["desk"])

    assert snapshot() == before


def test_official_of_another_agency_acting(world: World) -> None:
    dossier = flows.awaiting_signature(world)
    before = snapshot()

    with fails_with("dossier.out_of_scope"):
        actions.do_forward_to_next_agency(dossier, actor=world.actors["construction_signer"])
    with fails_with("dossier.out_of_scope"):
        actions.do_stop_processing(dossier, actor=world.actors["hanoi_signer"], reason="Không")
    with fails_with("dossier.out_of_scope"):
        actions.do_issue_apology(
            dossier,
            actor=world.actors["construction_reviewer"],
            reason="Chậm",
            new_due_at=local(2025, 10, 17, 17),
        )
    with fails_with("dossier.out_of_scope"):
        actions.do_withdraw_dossier(dossier, actor=world.actors["commune_desk"], reason="Rút")

    assert snapshot() == before


def test_official_without_the_role(world: World) -> None:
    dossier = flows.awaiting_signature(world, chain=False)
    before = snapshot()

    with fails_with("transition_not_allowed"):
        actions.do_sign_result(dossier, actor=world.actors["justice_handler"])
    with fails_with("transition_not_allowed"):
        actions.do_send_back_dossier(dossier, actor=world.actors["desk"], reason="Sai")

    assert snapshot() == before


def test_only_the_assigned_officer_submits_for_review(world: World) -> None:
    dossier = flows.in_process(world)
    from tests.dossiers.factories import official

    colleague = official("justice_handler_2", world.justice, "handler")
    before = snapshot()

    with fails_with("dossier.not_assignee"):
        actions.do_submit_for_review(dossier, actor=colleague)

    assert snapshot() == before


def test_assignee_must_be_a_handler_of_the_agency(world: World) -> None:
    dossier = flows.transferred(world)
    before = snapshot()

    with fails_with("dossier.assignee_not_handler"):
        actions.do_assign_dossier(
            dossier,
            actor=world.actors["justice_reviewer"],
            assignee_id=world.actors["construction_handler"].user_id,  # type: ignore[arg-type]
        )
    with fails_with("dossier.assign_self_only"):
        actions.do_assign_dossier(
            dossier,
            actor=world.actors["justice_handler"],
            assignee_id=world.actors["justice_reviewer"].user_id,  # type: ignore[arg-type]
        )

    assert snapshot() == before


def test_withdrawal_after_the_result(world: World) -> None:
    dossier = flows.result_ready(world)
    before = snapshot()

    with fails_with("dossier.withdrawal_after_result"):
        actions.do_withdraw_dossier(dossier, actor=world.actors["desk"], reason="Không cần nữa")

    assert snapshot() == before


def test_signing_before_the_last_agency_and_forwarding_from_the_last(world: World) -> None:
    chain = flows.awaiting_signature(world)
    single = flows.awaiting_signature(world, chain=False)
    before = snapshot()

    with fails_with("dossier.not_last_agency"):
        actions.do_sign_result(chain, actor=world.actors["justice_signer"])
    with fails_with("dossier.no_next_agency"):
        actions.do_forward_to_next_agency(single, actor=world.actors["justice_signer"])

    assert snapshot() == before


def test_result_is_not_returned_before_the_fees_are_paid(world: World) -> None:
    dossier = flows.at_construction(world)
    a = world.actors
    actions.do_submit_for_review(dossier, actor=a["construction_handler"])
    actions.do_approve_dossier(dossier, actor=a["construction_reviewer"])
    actions.do_sign_result(dossier, actor=a["construction_signer"])
    before = snapshot()

    with fails_with("wrong_state"):  # status 6: the result is held until payment
        actions.do_return_result(dossier, actor=a["desk"])

    assert snapshot() == before


def test_two_officers_at_once_one_wins_the_other_is_told(world: World) -> None:
    dossier = flows.transferred(world)
    seen_by_reviewer = Dossier.objects.get(pk=dossier.pk)
    seen_by_handler = Dossier.objects.get(pk=dossier.pk)
    a = world.actors
    actions.do_assign_dossier(
        seen_by_reviewer, actor=a["justice_reviewer"], assignee_id=a["justice_handler"].user_id
    )
    before = snapshot()

    with pytest.raises(ConcurrentTransition) as err:
        actions.do_assign_dossier(
            seen_by_handler, actor=a["justice_handler"], assignee_id=a["justice_handler"].user_id
        )

    assert err.value.code == "concurrent_transition"
    assert err.value.status == 409
    assert snapshot() == before
    assert reload(dossier).assignee_id == a["justice_handler"].user_id
