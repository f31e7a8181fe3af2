"""The incremental counters equal a full recomputation — on dossiers built through the
actions, and (property test) on random event sequences: random dossiers whose events
become known in random order, some after their period ended, with sweeps in between."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.audit.models import AuditEvent
from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.actions import SupplementItem
from motcua.scoreboard import actions
from motcua.scoreboard.actions.incremental import _lock_facts, apply_facts
from motcua.scoreboard.enums import Channel
from motcua.scoreboard.facts import FactData
from motcua.scoreboard.models import CounterRevision, DossierFact, ScoreCounter
from tests.dossiers import flows
from tests.dossiers.conftest import Clock, local
from tests.dossiers.factories import World
from tests.scoreboard import events
from tests.scoreboard.conftest import ACTOR, relay

START = local(2025, 9, 15, 8)  # spans the end of September, of Q3, and October


def _counter_rows() -> list[dict[str, Any]]:
    return list(
        ScoreCounter.objects.order_by("period", "procedure_code", "unit_id").values(
            *(
                f.name
                for f in ScoreCounter._meta.fields
                if f.name not in ("id", "revision_count", "revised_at")
            )
        )
    )


def test_recomputing_from_the_dossiers_agrees_with_the_incremental_counters(
    world: World, scored: dict[str, Any], frozen: Clock
) -> None:
    a = world.actors
    finished = flows.result_ready(world)
    open_one = flows.received(world)  # inter-agency, fee 75,000 đ
    supplemented = flows.in_process(world, chain=False)
    dossier_actions.do_request_supplement(
        supplemented, actor=a["justice_handler"], items=[SupplementItem("Tờ khai", "Thiếu chữ ký")]
    )
    frozen.set(local(2025, 10, 8, 10))
    dossier_actions.do_receive_supplement(supplemented, actor=a["desk"])
    dossier_actions.do_return_result(finished, actor=a["desk"])
    events.paid(open_one, at=local(2025, 10, 8, 9))
    events.rated(
        finished, at=local(2025, 10, 8, 9), criteria=[2] * 9, satisfaction="very_satisfied"
    )
    relay()
    # Weeks later, with a late acknowledgement delivered after October ended.
    frozen.set(local(2025, 11, 4, 9))
    events.acknowledged(
        finished,
        status=9,
        event_at=local(2025, 10, 6, 9),
        at=local(2025, 10, 6, 9, 2),
        on_time=True,
    )
    relay()
    actions.do_sweep_facts(actor=ACTOR)
    check = actions.do_recompute_year(2025, actor=ACTOR, write=False)
    assert check.facts == 3
    assert check.differences == []
    before = _counter_rows()
    revisions = list(CounterRevision.objects.values_list("period", "unit_id"))
    assert revisions  # the late acknowledgement revised October

    report = actions.do_recompute_year(2025, actor=ACTOR)
    assert (report.written, report.facts) == (True, 3)
    assert _counter_rows() == before
    # Revision history is kept, and the run is audited once.
    assert ScoreCounter.objects.filter(
        period="2025-10", procedure_code="", revision_count__gt=0
    ).exists()
    audit = AuditEvent.objects.get(action="scoreboard.recompute")
    assert audit.data == {
        "facts": 3,
        "counter_rows": report.counter_rows,
        "from_facts": False,
        "method": report.method,
    }
    assert report.method == ("sql" if connection.vendor == "postgresql" else "python")
    # The reference path writes the same rows.
    report = actions.do_recompute_year(2025, actor=ACTOR, method="python")
    assert report.method == "python"
    assert _counter_rows() == before


def test_a_check_reports_every_difference(world: World, scored: dict[str, Any]) -> None:
    flows.received(world, chain=False)
    relay()
    ScoreCounter.objects.filter(period="2025-Q4", procedure_code="", unit=scored["justice"]).update(
        received=5
    )
    report = actions.do_recompute_year(2025, actor=ACTOR, write=False)
    assert [(d.period, d.unit_id, d.column, d.stored, d.computed) for d in report.differences] == [
        ("2025-Q4", scored["justice"].pk, "received", 5, 1)
    ]


# --- Property test -------------------------------------------------------------------------


@st.composite
def lives(draw: st.DrawFn, unit_ids: list[int], parent_id: int) -> FactData:
    """A dossier's whole life: every moment it will ever record."""
    received = START + dt.timedelta(hours=draw(st.integers(0, 24 * 40)))
    hours = st.integers(1, 24 * 25)
    due = received + dt.timedelta(hours=draw(hours))
    pauses: list[tuple[dt.datetime, dt.datetime | None, dt.datetime | None]] = []
    cursor = received
    for _ in range(draw(st.integers(0, 2))):
        requested = cursor + dt.timedelta(hours=draw(hours))
        fulfilled = requested + dt.timedelta(hours=draw(hours)) if draw(st.booleans()) else None
        pauses.append((requested, fulfilled, (fulfilled + (due - received)) if fulfilled else None))
        if fulfilled is None:
            break
        cursor = fulfilled
    end = None
    if draw(st.booleans()) and (not pauses or pauses[-1][1] is not None):
        end = cursor + dt.timedelta(hours=draw(hours))
    with_result = end is not None and draw(st.booleans())
    later = st.one_of(st.none(), hours.map(lambda h: received + dt.timedelta(hours=h)))
    rated_at = draw(later)
    return FactData(
        dossier_id=0,
        unit_id=draw(st.sampled_from(unit_ids)),
        parent_unit_id=parent_id,
        procedure_code=draw(st.sampled_from(["1.000001", "1.000002", "2.000003"])),
        code="",
        received_at=received,
        due_at=due,
        channel=draw(st.sampled_from(list(Channel))),
        end_at=end,
        result_at=end if with_result else None,
        e_result_at=end if with_result and draw(st.booleans()) else None,
        extended_at=draw(later),
        pauses=pauses,
        is_full_online_eligible=draw(st.booleans()),
        is_full_online=draw(st.booleans()),
        has_fees=draw(st.booleans()),
        paid_online_at=draw(later),
        result_is_document=draw(st.booleans()),
        has_component_files=draw(st.booleans()),
        is_citizen_data=draw(st.booleans()),
        first_ack_at=draw(later),
        first_late_ack_at=draw(later),
        satisfaction=draw(st.sampled_from(["", "very_satisfied", "satisfied", "dissatisfied"]))
        if rated_at
        else "",
        rated_at=rated_at,
        rating_total=draw(st.integers(0, 18)) if rated_at else None,
    )


def known_at(fact: FactData, cutoff: dt.datetime) -> FactData | None:
    """What the system of record shows of the dossier when only what happened by ``cutoff``
    has been recorded (``None`` before its receipt)."""
    if fact.received_at > cutoff:
        return None

    def seen(moment: dt.datetime | None) -> dt.datetime | None:
        return moment if moment is not None and moment <= cutoff else None

    pauses = [
        (requested, seen(fulfilled), due if seen(fulfilled) else None)
        for requested, fulfilled, due in fact.pauses
        if requested <= cutoff
    ]
    rated = seen(fact.rated_at)
    return replace(
        fact,
        end_at=seen(fact.end_at),
        result_at=seen(fact.result_at),
        e_result_at=seen(fact.e_result_at) if seen(fact.result_at) else None,
        extended_at=seen(fact.extended_at),
        pauses=pauses,
        paid_online_at=seen(fact.paid_online_at),
        first_ack_at=seen(fact.first_ack_at),
        first_late_ack_at=seen(fact.first_late_ack_at),
        rated_at=rated,
        satisfaction=fact.satisfaction if rated else "",
        rating_total=fact.rating_total if rated else None,
    )


step = st.tuples(
    st.integers(0, 5),  # which dossier
    st.integers(0, 24 * 3),  # hours the clock moves on
    st.integers(0, 24 * 20),  # how late the event arrives (hours)
    st.integers(0, 4).map(lambda n: n == 0),  # run a sweep first (one step in five)
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_event_sequences_agree_with_the_recomputation(
    data: st.DataObject, scored: dict[str, Any]
) -> None:
    DossierFact.objects.all().delete()
    ScoreCounter.objects.all().delete()
    units = [scored["justice"].pk, scored["commune_b"].pk]
    facts = [
        replace(life, dossier_id=index + 1)
        for index, life in enumerate(
            data.draw(st.lists(lives(units, scored["province"].pk), min_size=1, max_size=6))
        )
    ]
    now = START
    for which, forward, lateness, sweep_first in data.draw(st.lists(step, min_size=1, max_size=25)):
        now += dt.timedelta(hours=forward)
        if sweep_first:
            actions.do_sweep_facts(actor=ACTOR, now=now)
        fact = facts[which % len(facts)]
        snapshot = known_at(fact, now - dt.timedelta(hours=lateness))
        apply_facts(
            {fact.dossier_id: snapshot}, _lock_facts([fact.dossier_id]), now=now, topic="test"
        )
    now += dt.timedelta(hours=data.draw(st.integers(0, 24 * 60)))
    actions.do_sweep_facts(actor=ACTOR, now=now)
    report = actions.do_recompute_year(
        2025, actor=ACTOR, now=now, from_facts=True, write=False, method="python"
    )
    assert report.differences == []
    if connection.vendor == "postgresql":  # the set-based path agrees with both
        sql = actions.do_recompute_year(
            2025, actor=ACTOR, now=now, from_facts=True, write=False, method="sql"
        )
        assert (sql.method, sql.differences, sql.counter_rows) == ("sql", [], report.counter_rows)


@override_settings(SCOREBOARD_SECOND_SUPPLEMENT_IS_LATE=False, SCOREBOARD_APOLOGY_IS_LATE=False)
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_sequences_agree_with_the_lenient_rules_too(
    data: st.DataObject, scored: dict[str, Any]
) -> None:
    test_random_event_sequences_agree_with_the_recomputation.hypothesis.inner_test(
        data=data, scored=scored
    )  # type: ignore[attr-defined]


@pytest.mark.postgres
def test_the_sql_recomputation_writes_what_the_python_one_writes(
    world: World, scored: dict[str, Any], frozen: Clock
) -> None:
    """From stored facts (after the sweep): SQL and Python write identical counter rows,
    equal to the incremental ones, and the SQL path refuses facts that are not current."""
    flows.result_ready(world)
    flows.received(world)
    supplemented = flows.in_process(world, chain=False)
    dossier_actions.do_request_supplement(
        supplemented,
        actor=world.actors["justice_handler"],
        items=[SupplementItem("Tờ khai", "Thiếu chữ ký")],
    )
    relay()
    frozen.set(local(2025, 12, 20, 9))  # due dates pass: the sweep has work to do
    later = local(2025, 12, 20, 9)
    with pytest.raises(ValueError, match="not current"):
        actions.do_recompute_year(2025, actor=ACTOR, now=later, from_facts=True, write=False,
                                  method="sql")  # fmt: skip
    actions.do_sweep_facts(actor=ACTOR, now=later)
    incremental = _counter_rows()
    sql = actions.do_recompute_year(2025, actor=ACTOR, now=later, from_facts=True, method="sql")
    assert sql.method == "sql"
    assert _counter_rows() == incremental
    python = actions.do_recompute_year(
        2025, actor=ACTOR, now=later, from_facts=True, method="python"
    )
    assert (
        (python.counter_rows, python.facts)
        == (sql.counter_rows, sql.facts)
        == (
            len(incremental),
            3,
        )
    )
    assert _counter_rows() == incremental
