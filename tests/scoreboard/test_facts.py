"""The on-time rules (§5.3–§5.4, R32–R39) on facts, and what a period counts of a fact.

Dossier D received Mon 06/10/2025 09:00, due Thu 09/10/2025 17:00 (the due dates here are
given, as ``workdays`` would have computed them).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from motcua.scoreboard.enums import Channel
from motcua.scoreboard.facts import (
    FactData,
    classes_of,
    classify,
    contributions,
    next_change_at,
    values_at,
)
from tests.dossiers.conftest import local

RECEIVED = local(2025, 10, 6, 9, 0)
DUE = local(2025, 10, 9, 17, 0)


def fact(**values: object) -> FactData:
    base: dict[str, object] = {
        "dossier_id": 1,
        "unit_id": 10,
        "parent_unit_id": 1,
        "procedure_code": "1.000002",
        "code": "X",
        "received_at": RECEIVED,
        "due_at": DUE,
        "channel": Channel.DIRECT,
    }
    base.update(values)
    return FactData(**base)  # type: ignore[arg-type]


def test_finished_on_or_before_the_due_date_is_on_time() -> None:
    assert classify(fact(end_at=DUE), local(2025, 10, 31)) == "on_time"
    assert classify(fact(end_at=local(2025, 10, 8, 10)), local(2025, 10, 31)) == "on_time"


def test_finished_after_the_due_date_is_late() -> None:
    assert classify(fact(end_at=DUE + dt.timedelta(minutes=1)), local(2025, 10, 31)) == "late"


def test_in_progress_within_time_counts_as_on_time_and_becomes_overdue_after_the_due_date() -> None:
    dossier = fact()
    assert classify(dossier, local(2025, 10, 9, 16)) == "in_time"
    assert classify(dossier, DUE) == "in_time"
    assert classify(dossier, DUE + dt.timedelta(seconds=1)) == "overdue"
    # The moment the sweep must look at it again: just after the due date.
    assert next_change_at(dossier, local(2025, 10, 7)) == DUE + dt.timedelta(microseconds=1)


def test_the_supplement_pause_is_subtracted() -> None:
    # R32: requested Tue 07/10 10:00, supplemented Mon 13/10 10:00 → 4 working days paused;
    # the due date moves from Thu 09/10 to Wed 15/10 17:00 (as workdays computes it).
    moved = local(2025, 10, 15, 17, 0)
    dossier = fact(
        pauses=[(local(2025, 10, 7, 10), local(2025, 10, 13, 10), moved)],
        end_at=local(2025, 10, 15, 11),
    )
    assert classify(dossier, local(2025, 10, 31)) == "on_time"


def test_a_dossier_waiting_for_the_applicant_at_period_end_takes_the_request_date() -> None:
    dossier = fact(pauses=[(local(2025, 10, 8, 10), None, None)])
    # At the end of October it still waits: compared at the request (08/10 ≤ 09/10 17:00).
    assert classify(dossier, local(2025, 10, 31, 23)) == "in_time"
    late_request = fact(pauses=[(local(2025, 10, 10, 10), None, None)])
    assert classify(late_request, local(2025, 10, 31, 23)) == "overdue"


def test_a_second_supplement_request_makes_the_dossier_late() -> None:
    first = (local(2025, 10, 7, 10), local(2025, 10, 7, 15), local(2025, 10, 10, 10))
    second = (local(2025, 10, 8, 10), local(2025, 10, 8, 11), local(2025, 10, 10, 11))
    dossier = fact(pauses=[first, second], end_at=local(2025, 10, 9, 9))
    assert classify(dossier, local(2025, 10, 31)) == "late"
    # Before the second request it was not late yet.
    assert classify(dossier, local(2025, 10, 7, 20)) == "in_time"


@override_settings(SCOREBOARD_SECOND_SUPPLEMENT_IS_LATE=False)
def test_the_second_supplement_rule_is_configurable() -> None:
    first = (local(2025, 10, 7, 10), local(2025, 10, 7, 15), local(2025, 10, 10, 10))
    second = (local(2025, 10, 8, 10), local(2025, 10, 8, 11), local(2025, 10, 10, 11))
    dossier = fact(pauses=[first, second], end_at=local(2025, 10, 9, 9))
    assert classify(dossier, local(2025, 10, 31)) == "on_time"


def test_an_extension_does_not_make_a_late_dossier_on_time() -> None:
    # The apology moved the appointment to 14/10; statistics keep the original date (R39).
    dossier = fact(extended_at=local(2025, 10, 8, 10), end_at=local(2025, 10, 13, 10))
    assert classify(dossier, local(2025, 10, 31)) == "late"
    assert classify(fact(extended_at=local(2025, 10, 8, 10)), local(2025, 10, 8, 12)) == "overdue"


@override_settings(SCOREBOARD_APOLOGY_IS_LATE=False)
def test_with_the_apology_rule_off_the_original_due_date_still_decides() -> None:
    dossier = fact(extended_at=local(2025, 10, 8, 10), end_at=local(2025, 10, 13, 10))
    assert classify(dossier, local(2025, 10, 31)) == "late"
    assert (
        classify(fact(extended_at=local(2025, 10, 8, 10), end_at=DUE), local(2025, 10, 31))
        == "on_time"
    )


def test_each_period_is_evaluated_at_its_own_end() -> None:
    # Received 29/10, due 03/11 17:00, finished late on 05/11.
    dossier = fact(
        received_at=local(2025, 10, 29, 9),
        due_at=local(2025, 11, 3, 17),
        end_at=local(2025, 11, 5, 9),
    )
    now = local(2025, 11, 20)
    # October ended with it in progress within time; the live quarter and year see it late.
    assert classes_of(dossier, now) == ("in_time", "late", "late")


def test_what_a_period_counts_of_a_dossier() -> None:
    dossier = fact(
        channel=Channel.ONLINE,
        has_fees=True,
        paid_online_at=local(2025, 10, 7, 8),
        end_at=local(2025, 10, 8, 9),
        result_at=local(2025, 10, 8, 9),
        e_result_at=local(2025, 10, 8, 9),
        has_component_files=True,
        is_citizen_data=True,
        first_ack_at=local(2025, 10, 6, 9, 1),
        satisfaction="dissatisfied",
        rated_at=local(2025, 10, 9, 8),
        rating_total=5,
    )
    assert values_at(dossier, local(2025, 10, 31)) == {
        "received": 1, "finished": 1, "finished_on_time": 1, "channel_online": 1,
        "fee_dossiers": 1, "paid_online": 1, "result_documents": 1, "e_results": 1,
        "digitised": 1, "citizen_data": 1, "synced": 1, "rated": 1, "rated_dissatisfied": 1,
        "rating_points": 5, "unsatisfactory": 1,
    }  # fmt: skip
    # Before the rating and the result: open within time, not yet rated.
    assert values_at(dossier, local(2025, 10, 7, 12)) == {
        "received": 1, "open": 1, "open_in_time": 1, "channel_online": 1, "fee_dossiers": 1,
        "paid_online": 1, "digitised": 1, "citizen_data": 1, "synced": 1,
    }  # fmt: skip


def test_a_late_portal_acknowledgement_unsyncs_the_dossier() -> None:
    dossier = fact(first_ack_at=local(2025, 10, 6, 9, 1), first_late_ack_at=local(2025, 10, 7, 9))
    assert "synced" in values_at(dossier, local(2025, 10, 6, 12))
    assert "synced" not in values_at(dossier, local(2025, 10, 8))


def test_contributions_go_to_the_unit_the_parent_and_the_procedure() -> None:
    rows = contributions(fact(), local(2025, 10, 7))
    assert sorted(rows) == sorted(
        (period, procedure, unit)
        for period in ("2025-10", "2025-Q4", "2025")
        for procedure in ("", "1.000002")
        for unit in (10, 1)
    )


@pytest.mark.parametrize("received", [local(2025, 10, 8), None])
def test_nothing_before_receipt(received: dt.datetime | None) -> None:
    if received is None:
        assert contributions(None, local(2025, 10, 7)) == {}
    else:
        assert values_at(fact(received_at=received), local(2025, 10, 7)) == {}
