"""Events → facts → counters, end to end through the dossier actions and the outbox relay.

The clock is frozen at Mon 06/10/2025 09:00 (Hà Nội); the fee-free single-agency procedure
(Sở Tư pháp, 3 working days) is due Thu 09/10/2025 09:00.
"""

from __future__ import annotations

from typing import Any

import pytest

from motcua.audit.models import AuditEvent
from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.actions import SupplementItem
from motcua.integration.models import OutboxMessage
from motcua.kernel.errors import ApplicationError
from motcua.scoreboard import actions
from motcua.scoreboard.models import CounterRevision, DossierFact, ScoreCounter, ScoreEvent
from tests.dossiers import flows
from tests.dossiers.conftest import Clock, local
from tests.dossiers.factories import World
from tests.scoreboard import events
from tests.scoreboard.conftest import ACTOR, counters, relay

OCT, Q4, YEAR = "2025-10", "2025-Q4", "2025"
RECEIVED_OPEN = {"received": 1, "open": 1, "open_in_time": 1, "channel_direct": 1, "digitised": 1}


def test_a_received_dossier_counts_for_its_unit_the_province_and_its_procedure(
    world: World, scored: dict[str, Any]
) -> None:
    dossier = flows.received(world, chain=False)
    relay()
    for unit in (scored["justice"], scored["province"]):
        for period in (OCT, Q4, YEAR):
            assert counters(unit, period) == RECEIVED_OPEN
            assert counters(unit, period, "1.000002") == RECEIVED_OPEN
    assert counters(scored["construction"], Q4) == {}
    fact = DossierFact.objects.get(pk=dossier.pk)
    assert (fact.unit_id, fact.parent_unit_id, fact.month, fact.class_quarter) == (
        scored["justice"].pk, scored["province"].pk, 202510, "in_time",
    )  # fmt: skip
    # A projection: no audit row and no outbox message of its own.
    assert not AuditEvent.objects.filter(action__startswith="scoreboard.").exists()
    assert not OutboxMessage.objects.filter(topic__startswith="scoreboard.").exists()


def test_a_dossier_finished_on_time_and_returned(
    world: World, scored: dict[str, Any], frozen: Clock
) -> None:
    dossier = flows.result_ready(world)
    frozen.set(local(2025, 10, 7, 10))
    dossier_actions.do_return_result(dossier, actor=world.actors["desk"])
    relay()
    assert counters(scored["justice"], Q4) == {
        "received": 1, "finished": 1, "finished_on_time": 1, "channel_direct": 1,
        "result_documents": 1, "e_results": 1, "digitised": 1,
    }  # fmt: skip


def test_a_replayed_message_changes_nothing(world: World, scored: dict[str, Any]) -> None:
    flows.result_ready(world)
    relay()
    before = list(ScoreCounter.objects.order_by("pk").values())
    for message in OutboxMessage.objects.all():
        assert actions.do_apply_event(message, actor=ACTOR) == 0
    assert list(ScoreCounter.objects.order_by("pk").values()) == before


def test_a_second_supplement_request_in_processing_makes_the_dossier_late(
    world: World, scored: dict[str, Any], frozen: Clock
) -> None:
    # Inter-agency: Sở Tư pháp asks once, then Sở Xây dựng asks once (R33 allows both).
    dossier = flows.in_process(world)
    a = world.actors
    item = [SupplementItem("Bản vẽ", "Thiếu chữ ký")]
    dossier_actions.do_request_supplement(dossier, actor=a["justice_handler"], items=item)
    frozen.set(local(2025, 10, 6, 14))
    dossier_actions.do_receive_supplement(dossier, actor=a["desk"])
    relay()
    fact = DossierFact.objects.get(pk=dossier.pk)
    assert len(fact.pauses) == 1
    assert fact.pauses[0][2] is not None
    # One request, paused 5 working hours: still within time, the due date moved.
    assert counters(scored["justice"], Q4)["open_in_time"] == 1
    dossier.refresh_from_db()
    dossier_actions.do_submit_for_review(dossier, actor=a["justice_handler"])
    dossier_actions.do_approve_dossier(dossier, actor=a["justice_reviewer"])
    dossier_actions.do_forward_to_next_agency(dossier, actor=a["justice_signer"])
    dossier_actions.do_assign_dossier(
        dossier, actor=a["construction_reviewer"], assignee_id=a["construction_handler"].user_id
    )
    frozen.set(local(2025, 10, 6, 15))
    dossier_actions.do_request_supplement(dossier, actor=a["construction_handler"], items=item)
    relay()
    values = counters(scored["justice"], Q4)
    assert (values["open"], values.get("open_in_time", 0), values["unsatisfactory"]) == (1, 0, 1)
    assert DossierFact.objects.get(pk=dossier.pk).class_quarter == "overdue"


def test_rating_payment_and_portal_acknowledgements(
    world: World, scored: dict[str, Any], frozen: Clock
) -> None:
    dossier = flows.received(world)  # the inter-agency procedure with a 75,000 đ fee
    frozen.set(local(2025, 10, 6, 10, 30))
    events.paid(dossier, at=local(2025, 10, 6, 9, 30))
    events.acknowledged(
        dossier, status=2, event_at=local(2025, 10, 6, 9), at=local(2025, 10, 6, 9, 1), on_time=True
    )
    events.rated(
        dossier,
        at=local(2025, 10, 6, 10),
        criteria=[2, 2, 1, 1, 1, 2, 0, 1, 1],
        satisfaction="dissatisfied",
    )
    relay()
    assert counters(scored["justice"], Q4) == {
        "received": 1, "open": 1, "open_in_time": 1, "channel_direct": 1, "digitised": 1,
        "fee_dossiers": 1, "paid_online": 1, "synced": 1, "rated": 1, "rated_dissatisfied": 1,
        "rating_points": 11, "unsatisfactory": 1,
        "fee_procedures_used": 1, "fee_procedures_paid_online": 1,
    }  # fmt: skip
    assert counters(scored["justice"], Q4, "1.000001")["fee_procedures_paid_online"] == 1
    # A late acknowledgement of a later status: no longer synchronised in real time.
    frozen.set(local(2025, 10, 6, 11))
    events.acknowledged(
        dossier,
        status=4,
        event_at=local(2025, 10, 6, 9, 5),
        at=local(2025, 10, 6, 10, 59),
        on_time=False,
    )
    relay()
    assert "synced" not in counters(scored["justice"], Q4)
    assert ScoreEvent.objects.count() == 4


def test_the_same_event_delivered_twice_is_kept_once(
    world: World, scored: dict[str, Any], frozen: Clock
) -> None:
    dossier = flows.received(world)
    frozen.set(local(2025, 10, 6, 10))
    message = events.paid(dossier, at=local(2025, 10, 6, 9, 30))
    relay()
    assert actions.do_apply_event(message, actor=ACTOR) == 0
    assert ScoreEvent.objects.count() == 1
    assert counters(scored["justice"], Q4)["paid_online"] == 1


@pytest.mark.parametrize(
    "payload",
    [
        {
            "criteria": [2, 2, 2],
            "total": 6,
            "satisfaction": "satisfied",
            "rated_at": "2025-10-06T03:00:00Z",
        },
        {
            "criteria": [3, 2, 2, 2, 2, 2, 2, 2, 2],
            "total": 19,
            "satisfaction": "satisfied",
            "rated_at": "2025-10-06T03:00:00Z",
        },
        {
            "criteria": [2] * 9,
            "total": 17,
            "satisfaction": "satisfied",
            "rated_at": "2025-10-06T03:00:00Z",
        },
        {
            "criteria": [2] * 9,
            "total": 18,
            "satisfaction": "happy",
            "rated_at": "2025-10-06T03:00:00Z",
        },
        {"criteria": [2] * 9, "total": 18, "satisfaction": "satisfied"},
    ],
)
def test_an_event_that_breaks_its_contract_is_refused_and_changes_nothing(
    world: World, scored: dict[str, Any], payload: dict[str, Any]
) -> None:
    dossier = flows.received(world)
    relay()
    before = list(ScoreCounter.objects.order_by("pk").values())
    message = OutboxMessage(
        topic="dossiers.dossier.rated",
        aggregate_type="dossiers.dossier",
        aggregate_id=str(dossier.pk),
        payload=payload,
    )
    with pytest.raises(ApplicationError) as err:
        actions.do_apply_event(message, actor=ACTOR)
    assert err.value.code == "scoreboard.invalid_event"
    assert ScoreEvent.objects.count() == 0
    assert list(ScoreCounter.objects.order_by("pk").values()) == before


def test_in_a_batch_a_broken_event_fails_alone(world: World, scored: dict[str, Any]) -> None:
    dossier = flows.received(world)
    relay()
    good = OutboxMessage(
        pk=1,
        topic="dossiers.dossier.rated",
        aggregate_type="dossiers.dossier",
        aggregate_id=str(dossier.pk),
        payload={
            "criteria": [2] * 9,
            "total": 18,
            "satisfaction": "satisfied",
            "rated_at": "2025-10-06T03:00:00Z",
        },
    )
    broken = OutboxMessage(
        pk=2,
        topic="dossiers.dossier.rated",
        aggregate_type="dossiers.dossier",
        aggregate_id=str(dossier.pk),
        payload={"criteria": [2] * 9, "total": 17, "satisfaction": "satisfied"},
    )

    _changed, failures = actions.do_apply_events([good, broken], actor=ACTOR)

    assert list(failures) == [2]
    assert failures[2].startswith("scoreboard.invalid_event")
    assert list(ScoreEvent.objects.values_list("message_id", flat=True)) == [good.message_id]
    # the same batch again keeps nothing twice
    assert actions.do_apply_events([good], actor=ACTOR) == (0, {})
    assert ScoreEvent.objects.count() == 1


def test_a_late_event_is_applied_to_its_period_and_marked_as_a_revision(
    world: World, scored: dict[str, Any], frozen: Clock
) -> None:
    dossier = flows.awaiting_signature(world, chain=False)
    relay()
    frozen.set(local(2025, 10, 31, 16))
    dossier_actions.do_sign_result(dossier, actor=world.actors["justice_signer"])
    # The worker was down: the signature of 31/10 reaches the scoreboard on 03/11.
    frozen.set(local(2025, 11, 3, 8))
    relay()
    justice = scored["justice"]
    assert counters(justice, OCT)["finished"] == 1
    assert counters(justice, OCT).get("finished_on_time", 0) == 0  # signed after the due date
    revisions = CounterRevision.objects.filter(period=OCT).order_by("unit_id")
    assert [(r.unit_id, r.topic) for r in revisions] == sorted(
        [
            (justice.pk, "dossiers.dossier.sign_result"),
            (scored["province"].pk, "dossiers.dossier.sign_result"),
        ]
    )
    row = ScoreCounter.objects.get(unit=justice, period=OCT, procedure_code="")
    assert (row.revision_count, row.revised_at) == (1, local(2025, 11, 3, 8))
    # The quarter and the year are live: no revision there.
    assert ScoreCounter.objects.get(unit=justice, period=Q4, procedure_code="").revision_count == 0


def test_the_sweep_moves_a_dossier_past_its_due_date_to_overdue_in_live_periods_only(
    world: World, scored: dict[str, Any], frozen: Clock
) -> None:
    dossier = flows.received(world, chain=False)
    relay()
    due = DossierFact.objects.get(pk=dossier.pk).due_at
    assert due is not None
    frozen.set(local(2025, 10, 10, 9))
    assert actions.do_sweep_facts(actor=ACTOR) == 1
    for period in (OCT, Q4, YEAR):
        values = counters(scored["justice"], period)
        assert (values.get("open_in_time", 0), values["open"], values["unsatisfactory"]) == (
            0,
            1,
            1,
        )
    assert DossierFact.objects.get(pk=dossier.pk).class_month == "overdue"
    assert actions.do_sweep_facts(actor=ACTOR) == 0


def test_a_dossier_still_open_at_month_end_stays_within_time_for_that_month(
    world: World, scored: dict[str, Any], frozen: Clock
) -> None:
    frozen.set(local(2025, 10, 30, 9))
    dossier = flows.received(world, chain=False)  # due in November
    relay()
    frozen.set(local(2025, 11, 20, 9))
    actions.do_sweep_facts(actor=ACTOR)
    assert DossierFact.objects.get(pk=dossier.pk).class_month == "in_time"
    assert counters(scored["justice"], OCT)["open_in_time"] == 1
    assert counters(scored["justice"], Q4).get("open_in_time", 0) == 0


def test_catalogue_figures(world: World, scored: dict[str, Any]) -> None:
    world.single.implementing_agencies.add(world.justice)
    world.chain.implementing_agencies.add(world.justice, world.construction)
    world.commune_proc.implementing_agencies.add(world.commune_pc_b)
    assert actions.do_refresh_catalog_figures(actor=ACTOR) == 3 * 4
    from motcua.scoreboard.models import CatalogFigures

    justice = CatalogFigures.objects.get(unit=scored["justice"], period=Q4)
    province = CatalogFigures.objects.get(unit=scored["province"], period=Q4)
    assert (justice.procedures, justice.fee_procedures, justice.person_procedures) == (2, 1, 0)
    assert (province.procedures, province.content_checked) == (3, 3)
    # Announced 20/06/2025, in force 01/07/2025: nothing announced in Q4.
    assert (province.announced, province.publication_due) == (0, 0)
