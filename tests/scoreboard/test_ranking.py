"""Ranking: shared ranks for ties within the tolerance (R69), unranked without a score."""

from __future__ import annotations

from motcua.scoreboard.ranking import rank


def test_ties_within_the_tolerance_share_a_rank_and_the_next_skips() -> None:
    # R69: totals 85.4, 85.4005, 80 → ranks 1, 1, 3.
    assert rank([("a", 85.4), ("b", 85.4005), ("c", 80.0)], tolerance=0.001) == {
        "a": 1,
        "b": 1,
        "c": 3,
    }


def test_a_difference_above_the_tolerance_separates() -> None:
    assert rank([("a", 85.4), ("b", 85.402), ("c", 85.402)], tolerance=0.001) == {
        "b": 1,
        "c": 1,
        "a": 3,
    }


def test_a_unit_without_a_score_is_not_ranked() -> None:
    assert rank([("a", None), ("b", 50.0)], tolerance=0.001) == {"a": None, "b": 1}
