"""Worklists, filters, counts, available actions, history and deadline warnings."""

from __future__ import annotations

import pytest
from django.test import override_settings
from tests.dossiers import flows
from tests.dossiers.conftest import Clock, fails_with, local, reload
from tests.dossiers.factories import World, official

from motcua.dossiers import actions, selectors
from motcua.dossiers.selectors import Worklist
from motcua.integration.models import OutboxMessage
from motcua.kernel.actors import Actor
from motcua.kernel.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def _codes(page: selectors.Page) -> list[str | None]:
    return [d.code for d in page.items]


def test_each_role_sees_its_worklists_in_its_own_agency(world: World) -> None:
    received = flows.received(world, chain=False)
    in_process = flows.in_process(world, chain=False)
    a = world.actors

    assert _codes(selectors.list_worklist(a["desk"], Worklist.TO_TRANSFER)) == [received.code]
    assert _codes(selectors.list_worklist(a["justice_handler"], Worklist.TO_PROCESS)) == [
        in_process.code
    ]
    assert _codes(selectors.list_worklist(a["justice_reviewer"], Worklist.TO_PROCESS)) == [
        in_process.code
    ]
    assert selectors.list_worklist(a["construction_handler"], Worklist.TO_PROCESS).items == []
    assert selectors.list_worklist(a["commune_desk"], Worklist.TO_TRANSFER).items == []
    with pytest.raises(PermissionDenied):
        selectors.list_worklist(a["justice_handler"], Worklist.TO_SIGN)
    assert Worklist.for_actor(a["justice_reviewer"]) == [
        Worklist.TO_ASSIGN,
        Worklist.TO_PROCESS,
        Worklist.TO_REVIEW,
    ]


def test_a_handler_sees_only_the_dossiers_assigned_to_them(world: World) -> None:
    dossier = flows.in_process(world, chain=False)
    colleague = official("justice_handler_2", world.justice, "handler")

    assert selectors.list_worklist(colleague, Worklist.TO_PROCESS).items == []
    assert _codes(
        selectors.list_worklist(world.actors["justice_handler"], Worklist.TO_PROCESS)
    ) == [dossier.code]


def test_due_soon_and_overdue_filters(world: World, frozen: Clock) -> None:
    early = flows.transferred(world, chain=False)  # Monday 6/10 09:00 → due Thursday 9/10
    frozen.set(local(2025, 10, 8, 9, 0))
    late = flows.transferred(world, chain=False)  # due Monday 13/10
    reviewer = world.actors["justice_reviewer"]

    frozen.set(local(2025, 10, 8, 10, 0))  # Wednesday: 9/10 is within one working day
    assert _codes(selectors.list_worklist(reviewer, Worklist.TO_ASSIGN, due="soon")) == [early.code]
    assert selectors.list_worklist(reviewer, Worklist.TO_ASSIGN, due="overdue").items == []

    frozen.set(local(2025, 10, 10, 8, 0))  # Friday: the first one is late
    assert _codes(selectors.list_worklist(reviewer, Worklist.TO_ASSIGN, due="overdue")) == [
        early.code
    ]
    # Friday + 1 working day = Monday 13/10: the second one is now due soon.
    assert _codes(selectors.list_worklist(reviewer, Worklist.TO_ASSIGN, due="soon")) == [late.code]
    assert _codes(selectors.list_worklist(reviewer, Worklist.TO_ASSIGN)) == [early.code, late.code]


def test_counts_per_state_for_the_agency(world: World) -> None:
    flows.received(world, chain=False)
    flows.in_process(world, chain=False)

    assert selectors.count_by_state(world.actors["desk"]) == {"received": 1, "in_process": 1}
    assert selectors.count_by_state(world.actors["justice_reviewer"]) == {"in_process": 1}
    assert selectors.count_by_state(Actor.anonymous()) == {}


def test_available_actions_come_from_the_machine(world: World) -> None:
    dossier = flows.awaiting_signature(world)  # inter-agency, at the first agency
    a = world.actors

    assert [x.name for x in selectors.list_available_actions(dossier, a["justice_signer"])] == [
        "send_back",
        "forward_to_next_agency",
        "request_supplement",
        "stop",
        "issue_apology",
    ]
    assert [x.action for x in selectors.list_available_actions(dossier, a["justice_signer"])][
        1
    ] == ("do_forward_to_next_agency")
    assert selectors.list_available_actions(dossier, a["construction_signer"]) == []
    assert [x.name for x in selectors.list_available_actions(dossier, a["desk"])] == ["withdraw"]


def test_get_dossier_for_hides_other_agencies_dossiers(world: World) -> None:
    dossier = flows.received(world)

    assert selectors.get_dossier_for(world.actors["construction_handler"], dossier.pk) == dossier
    with fails_with("dossier.not_found"):
        selectors.get_dossier_for(world.actors["hanoi_signer"], dossier.pk)


def test_deadline_warnings_once_per_dossier_without_apology(world: World, frozen: Clock) -> None:
    soon = flows.in_process(world, chain=False)  # due Thursday 9/10 17:00
    frozen.set(local(2025, 10, 8, 9, 0))
    extended = flows.in_process(world, chain=False)  # due Monday 13/10
    frozen.set(local(2025, 10, 8, 10, 0))
    actions.do_issue_apology(
        extended,
        actor=world.actors["justice_reviewer"],
        reason="Chờ xác minh",
        new_due_at=local(2025, 10, 16, 17, 0),
    )
    system = Actor.system("scheduler")

    assert list(selectors.list_dossiers_needing_warning()) == [soon]
    assert actions.do_record_deadline_warnings(actor=system) == 1
    assert actions.do_record_deadline_warnings(actor=system) == 0
    warning = OutboxMessage.objects.get(topic="dossiers.dossier.deadline_warning")
    assert warning.aggregate_id == str(soon.pk)
    assert warning.payload["agency"] == world.justice.pk


@override_settings(DOSSIER_WARN_WORKING_DAYS=3)
def test_warning_horizon_is_a_setting(world: World, frozen: Clock) -> None:
    dossier = flows.in_process(world, chain=False)  # due Thursday 9/10 17:00

    assert list(selectors.list_dossiers_needing_warning(at=local(2025, 10, 6, 10))) == [dossier]
    assert (
        list(selectors.list_dossiers_needing_warning(at=local(2025, 10, 6, 10), working_days=1))
        == []
    )


def test_the_warning_task_runs_the_action(world: World, frozen: Clock) -> None:
    from motcua.dossiers.tasks import warn_due_dossiers

    flows.in_process(world, chain=False)  # due Thursday 9/10 17:00
    frozen.set(local(2025, 10, 8, 10, 0))

    assert warn_due_dossiers.call() == 1
    assert OutboxMessage.objects.filter(topic="dossiers.dossier.deadline_warning").count() == 1


@pytest.mark.parametrize(("limit", "as_rows"), [(1, False), (2, False), (1, True), (3, True)])
def test_a_worklist_of_two_states_pages_in_due_order(
    world: World, frozen: Clock, limit: int, as_rows: bool
) -> None:
    # On PostgreSQL a full page comes from one UNION ALL of the states' ranges, the last
    # page from each range on its own: both are walked here.
    first = flows.in_process(world)
    frozen.set(local(2025, 10, 6, 10, 0))
    second = flows.in_process(world)
    frozen.set(local(2025, 10, 7, 9, 0))
    third = flows.in_process(world)
    actions.do_request_payment(second, actor=world.actors["justice_handler"])
    handler = world.actors["justice_handler"]

    seen, cursor = [], None
    for _ in range(4):
        page = selectors.list_worklist(
            handler, Worklist.TO_PROCESS, cursor=cursor, limit=limit, as_rows=as_rows
        )
        assert len(page.items) <= limit
        seen += [row["code"] for row in page.items] if as_rows else _codes(page)
        cursor = page.next_cursor
        if cursor is None:
            break

    assert seen == [first.code, second.code, third.code]
    assert reload(second).state == "awaiting_payment"
