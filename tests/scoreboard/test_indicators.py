"""Hand-computed scores of every indicator, group and total from small figures (§11.4–§11.6).

The figures are what a unit's counter row and catalogue row hold; each case states the
numerator, the denominator, the rate and the score the rules give.
"""

from __future__ import annotations

from typing import Any

import pytest

from motcua.scoreboard.indicators import INDICATORS, IndicatorResult, Scorecard, compute_scorecard
from motcua.scoreboard.profiles import DEFAULT_DEFINITION, check_definition

DEFINITION = check_definition(DEFAULT_DEFINITION, frozenset(INDICATORS))

# A department in one quarter: 10 dossiers received, a catalogue of 10 procedures.
FIGURES: dict[str, int] = {
    "received": 10, "finished": 6, "finished_on_time": 4, "open": 4, "open_in_time": 3,
    "synced": 9, "channel_online": 5, "channel_direct": 4, "channel_postal": 1,
    "fee_dossiers": 4, "paid_online": 3, "result_documents": 5, "e_results": 5,
    "digitised": 8, "citizen_data": 2, "unsatisfactory": 2, "rated": 4,
    "rated_very_satisfied": 1, "rated_satisfied": 2, "rated_dissatisfied": 1,
    "online_services_used": 3, "fee_procedures_used": 4, "fee_procedures_paid_online": 2,
    "citizen_data_procedures": 1, "full_online_eligible": 2, "full_online": 1,
    "procedures": 10, "online_procedures": 8, "fee_procedures": 4, "person_procedures": 4,
    "content_checked": 10, "content_full": 10, "announced": 4, "announced_on_time": 3,
    "publication_due": 2, "published_on_time": 2, "full_online_eligible_procedures": 5,
    "full_online_procedures": 3,
}  # fmt: skip


def card(
    figures: dict[str, int] | None = None, kind: str = "department", **overrides: int
) -> Scorecard:
    values: dict[str, Any] = dict(FIGURES if figures is None else figures)
    values.update(overrides)
    return compute_scorecard(values, DEFINITION, kind)


def result(scorecard: Scorecard, code: str) -> IndicatorResult:
    return next(i for g in scorecard.groups for i in g.indicators if i.code == code)


def figures_of(r: IndicatorResult) -> tuple[Any, ...]:
    return (
        r.numerator,
        r.denominator,
        None if r.rate is None else round(r.rate, 2),
        None if r.score is None else round(r.score, 2),
        r.status,
    )


@pytest.mark.parametrize(
    ("code", "kind", "expected"),
    [
        # 1 — transparency: max × rate / 100.
        ("PUBLISH_ON_TIME", "department", (3, 4, 75.0, 4.5, "ok")),
        ("PUBLIC_UPDATE_ON_TIME", "province", (2, 2, 100.0, 4.0, "ok")),
        # 1.2 is measured for provinces and ministries only: others get the maximum.
        ("PUBLIC_UPDATE_ON_TIME", "department", (None, None, None, 4.0, "not_applicable")),
        ("PUBLIC_CONTENT_FULL", "department", (10, 10, 100.0, 2.0, "ok")),
        ("DOSSIER_SYNC", "department", (9, 10, 90.0, 5.4, "ok")),
        # 2 — on time = finished on time (4) + in progress within time (3).
        ("DOSSIER_ON_TIME", "department", (7, 10, 70.0, 14.0, "ok")),
        # 3 — online: 80 % of procedures online is full marks; 50 % of dossiers online too.
        ("ONLINE_PROCEDURES", "department", (8, 10, 80.0, 2.0, "ok")),
        ("ONLINE_SERVICE_USE", "department", (3, 8, 37.5, 1.5, "ok")),
        ("ONLINE_DOSSIERS", "department", (5, 10, 50.0, 6.0, "ok")),
        ("FULL_ONLINE_PROCEDURES", "department", (3, 5, 60.0, 0.0, "tracking")),
        ("DIRECT_DOSSIERS", "department", (4, 10, 40.0, 0.0, "tracking")),
        # 4 — payment: 6A + min(2, 2.5B) + 2.5C.
        ("PAYMENT_ONLINE_DOSSIERS", "department", (3, 4, 75.0, 4.5, "ok")),
        ("PAYMENT_ONLINE_PROCEDURES", "department", (2, 4, 50.0, 1.25, "ok")),
        ("FEE_PROCEDURES_WITH_DOSSIERS", "department", (4, 4, 100.0, 2.5, "ok")),
        # 5 — digitisation.
        ("ORIGINAL_RESULT_AVAILABLE", "department", (5, 5, 100.0, 6.0, "ok")),
        ("SO_HOA_GIAY_TO_GIAI_QUYET", "department", (8, 10, 80.0, 4.0, "ok")),
        ("ELECTRONIC_CERTIFIED_COPY", "department", (None, None, None, 0.0, "unsupported")),
        ("REUSED_DIGITIZED_DATA", "department", (None, None, None, 0.0, "unsupported")),
        (
            "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
            "department",
            (None, None, None, 0.0, "unsupported"),
        ),
        ("CITIZEN_DATA_CONNECTED_DOSSIER", "department", (2, 10, 20.0, 0.4, "ok")),
        ("CITIZEN_DATA_CONNECTED_FORMALITY", "department", (1, 4, 25.0, 0.5, "ok")),
        # Rows 16–17 do not apply to communes: the maximum (configurable).
        ("CITIZEN_DATA_CONNECTED_DOSSIER", "commune", (None, None, None, 2.0, "not_applicable")),
        # 6 — satisfaction: no petitions in the platform ⇒ 6 + 6 (the portal's rule).
        ("PETITION_PROCESSING_ON_TIME", "department", (None, None, None, 6.0, "unsupported")),
        ("PETITION_HANDLING_SATISFACTION", "department", (None, None, None, 6.0, "unsupported")),
        ("PETITION_CLASSIFICATION_TTHC", "department", (None, None, None, 0.0, "unsupported")),
        # 5.4: 8 of 10 without complaint or delay = 80 % < 90 % → 6 × 80/90.
        ("DOSSIER_RECEIVING_SATISFACTION", "department", (8, 10, 80.0, 5.33, "ok")),
        ("RATING_SATISFIED", "department", (3, 4, 75.0, 0.0, "tracking")),
    ],
)
def test_each_indicator(code: str, kind: str, expected: tuple[Any, ...]) -> None:
    assert figures_of(result(card(kind=kind), code)) == expected


def test_groups_total_and_band() -> None:
    scorecard = card()
    assert {g.code: round(g.score, 4) for g in scorecard.groups} == {
        "CKMB": 15.9,  # 4.5 + 4 (n/a ⇒ max) + 2 + 5.4
        "TDGQ": 14.0,
        "CLGQ": 9.5,  # 2 + 1.5 + 6
        "TTTT": 8.25,  # 4.5 + 1.25 + 2.5
        "MDSH": 10.9,  # 6 + 4 + 0 + 0 + 0 + 0.4 + 0.5
        "MDHL": 17.3333,  # 0 + 0 + 6 + 6 + 5.3333
    }
    assert round(scorecard.total or 0, 2) == 75.88
    assert scorecard.band == "fair"


@pytest.mark.parametrize(
    ("code", "overrides", "score"),
    [
        # Thresholds: exactly at it is full marks, just below is proportional.
        ("ONLINE_PROCEDURES", {"online_procedures": 7}, 1.75),  # 70 % / 80 % × 2
        ("ONLINE_DOSSIERS", {"channel_online": 4}, 4.8),  # 40 % / 50 % × 6
        ("ONLINE_DOSSIERS", {"channel_online": 9}, 6.0),  # above 50 %: capped
        ("SO_HOA_GIAY_TO_GIAI_QUYET", {"digitised": 7}, 3.5),  # 70 % / 80 % × 4
        ("DOSSIER_RECEIVING_SATISFACTION", {"unsatisfactory": 1}, 6.0),  # 90 %
        ("DOSSIER_RECEIVING_SATISFACTION", {"unsatisfactory": 0}, 6.0),
        ("PAYMENT_ONLINE_PROCEDURES", {"fee_procedures_paid_online": 4}, 2.0),  # min(2, 2.5)
        # A numerator above the denominator (a procedure left the catalogue) is capped.
        ("ONLINE_SERVICE_USE", {"online_services_used": 12}, 4.0),
    ],
)
def test_thresholds(code: str, overrides: dict[str, int], score: float) -> None:
    assert round(result(card(**overrides), code).score or 0, 4) == score


def test_the_payment_group_is_capped_at_its_maximum() -> None:
    # 6 + 2 + 2.5 = 10.5 possible; the group gives at most 10.
    scorecard = card(paid_online=4, fee_procedures_paid_online=4)
    assert sum(i.score or 0 for i in scorecard.group("TTTT").indicators) == 10.5
    assert scorecard.group("TTTT").score == 10.0


def test_no_dossiers_shows_n_a_except_satisfaction_which_scores_zero() -> None:
    empty = {
        k: v
        for k, v in FIGURES.items()
        if k in {"procedures", "online_procedures", "content_checked", "content_full"}
    }
    scorecard = card(empty)
    on_time = result(scorecard, "DOSSIER_ON_TIME")
    assert figures_of(on_time) == (0, 0, None, None, "no_data")
    assert figures_of(result(scorecard, "DOSSIER_RECEIVING_SATISFACTION")) == (
        0,
        0,
        None,
        0.0,
        "no_data",
    )
    assert scorecard.has_data is True
    assert scorecard.total is not None


def test_a_unit_without_dossiers_or_procedures_has_no_total_and_no_band() -> None:
    scorecard = card({})
    assert (scorecard.has_data, scorecard.total, scorecard.band) == (False, None, None)


def test_a_procedure_shows_only_the_indicators_counted_from_dossiers() -> None:
    scorecard = compute_scorecard(FIGURES, DEFINITION, "department", per_procedure=True)
    assert scorecard.total is None
    assert result(scorecard, "PUBLISH_ON_TIME").status == "not_applicable"
    assert figures_of(result(scorecard, "DOSSIER_ON_TIME")) == (7, 10, 70.0, 14.0, "ok")


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (100, "excellent"),
        (90, "excellent"),
        (89.99, "good"),
        (80, "good"),
        (70, "fair"),
        (50, "average"),
        (49.99, "weak"),
        (0, "weak"),
    ],
)
def test_bands(total: float, band: str) -> None:
    assert DEFINITION.band_of(total) == band
