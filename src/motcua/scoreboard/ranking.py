"""Competition ranking with shared ranks for ties (§11.7, R69): totals 85.4, 85.4005, 80
rank 1, 1, 3. Two scores within ``tolerance`` of each other share a rank; a unit without
a score is not ranked."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

__all__ = ["rank"]


def rank(
    scores: Iterable[tuple[Hashable, float | None]], *, tolerance: float
) -> dict[Hashable, int | None]:
    """Return each key's rank (1 = best); None for a key without a score."""
    items = list(scores)
    ranked = sorted((s, k) for k, s in items if s is not None)
    ranked.reverse()
    out: dict[Hashable, int | None] = {k: None for k, s in items if s is None}
    previous: float | None = None
    current = 0
    for position, (score, key) in enumerate(ranked, start=1):
        if previous is None or previous - score > tolerance + 1e-12:
            current = position
        out[key] = current
        previous = score
    return out
