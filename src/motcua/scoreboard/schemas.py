"""Output schemas of the scoreboard API (pydantic v2 through django-ninja)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema

__all__ = [
    "ExplainOut",
    "GroupOut",
    "IndicatorOut",
    "LeagueOut",
    "LeagueRowOut",
    "OpenDataOut",
    "ProfileOut",
    "TrendOut",
    "TrendPointOut",
    "UnitOut",
    "UnitScoreOut",
]


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None


class IndicatorOut(Schema):
    code: str
    label: str
    status: str  # ok | no_data | unsupported | not_applicable | tracking
    numerator: int | None
    denominator: int | None
    rate: float | None
    score: float | None
    max: float
    threshold: float


class GroupOut(Schema):
    code: str
    label: str
    max: float
    score: float | None
    indicators: list[IndicatorOut]


class LeagueRowOut(Schema):
    unit: UnitOut
    rank: int | None
    total: float | None
    band: str | None
    previous_total: float | None
    delta: float | None
    revision_count: int
    groups: dict[str, float | None]
    group_ranks: dict[str, int | None]


class LeagueOut(Schema):
    period: str
    period_label: str
    is_final: bool
    kind: str
    profile: str
    rows: list[LeagueRowOut]


class UnitScoreOut(Schema):
    unit: UnitOut
    period: str
    period_label: str
    is_final: bool
    profile: str
    procedure: str | None
    total: float | None
    band: str | None
    rank: int | None
    ranked_units: int
    delta: float | None
    revision_count: int
    groups: list[GroupOut]


class TrendPointOut(Schema):
    period: str
    total: float | None
    groups: dict[str, float | None]
    is_final: bool


class TrendOut(Schema):
    unit: UnitOut
    year: int
    points: list[TrendPointOut]


class ExplainOut(Schema):
    unit: UnitOut
    period: str
    indicator: str
    part: str
    total: int
    items: list[dict[str, Any]]
    next_after: int | None


class OpenDataOut(Schema):
    period: str
    rows: list[dict[str, Any]]


class ProfileOut(Schema):
    code: str
    version: int
    name: str
    effective_from: dt.date
    definition: dict[str, Any]
