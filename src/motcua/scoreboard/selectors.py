"""Reads of the scoreboard: league tables, a unit's scorecard, its trend, the dossiers
behind an indicator, open data. Every figure comes from the counter rows and catalogue
figures (a few indexed reads), never from the dossiers themselves. The league tables, a
unit's rank and change, and its monthly trend are read from the stored cards
(``UnitScorecard``), which a read first brings up to date when the counters moved (ADR 0020).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.scoreboard.enums import PeriodKind, UnitKind
from motcua.scoreboard.errors import (
    ExplainNotAllowed,
    PeriodNotEnded,
    PeriodNotStarted,
    UnknownIndicator,
    UnknownProcedure,
    UnknownUnit,
    UnknownUnitKind,
)
from motcua.scoreboard.indicators import INDICATORS, Scorecard, compute_scorecard
from motcua.scoreboard.models import (
    CATALOG_FIELDS,
    COUNTER_FIELDS,
    CatalogFigures,
    CounterRevision,
    DossierFact,
    IndexProfile,
    ScorecardDirty,
    ScoreCounter,
    ScoreUnit,
    UnitScorecard,
)
from motcua.scoreboard.periods import Period
from motcua.scoreboard.profiles import DEFAULT_DEFINITION, ProfileDefinition
from motcua.scoreboard.ranking import rank

__all__ = [
    "ExplainPage",
    "LeagueRow",
    "LeagueTable",
    "TrendPoint",
    "UnitScore",
    "get_league_summary",
    "get_league_table",
    "get_period",
    "get_profile_for",
    "get_unit",
    "get_unit_kind",
    "get_unit_score",
    "get_unit_trend",
    "iter_open_data",
    "list_explained_dossiers",
    "list_unit_kinds",
    "list_unit_procedures",
    "may_explain",
    "score_league",
]


def get_unit_kind(kind: str) -> str:
    if kind not in UnitKind.values:
        raise UnknownUnitKind(params={"kind": kind})
    return kind


def list_unit_kinds() -> list[str]:
    """Return the kinds that have at least one active unit, in a fixed order."""
    present = set(
        ScoreUnit.objects.filter(is_active=True).values_list("kind", flat=True).distinct()
    )
    return [kind for kind in UnitKind.values if kind in present]


def get_unit(code: str) -> ScoreUnit:
    unit = ScoreUnit.objects.select_related("parent").filter(code=code).first()
    if unit is None:
        raise UnknownUnit(params={"unit": code})
    return unit


def get_period(key: str, *, final: bool = False, now: dt.datetime | None = None) -> Period:
    """Return the period ``key``; raise for an unknown one, one not started, or — asked
    as ``final`` — one that has not ended (a month counts only after it ends)."""
    moment = now or clock.now()
    period = Period.parse(key)
    if not period.has_started(moment):
        raise PeriodNotStarted(params={"period": period.label})
    if final and not period.has_ended(moment):
        raise PeriodNotEnded(params={"period": period.label})
    return period


def default_period(now: dt.datetime | None = None) -> Period:
    """The period the public pages open on: the current quarter (live)."""
    moment = now or clock.now()
    return Period.containing(moment, PeriodKind.QUARTER)


_definitions: dict[tuple[int | None, str, int], ProfileDefinition] = {}


def builtin_profile() -> IndexProfile:
    """The default methodology (profile ``qd766`` v1) as an unsaved row."""
    return IndexProfile(
        code="qd766",
        version=1,
        name="Quyết định 766/QĐ-TTg — cách tính của Cổng Dịch vụ công quốc gia",
        effective_from=dt.date(2022, 8, 1),
        definition=DEFAULT_DEFINITION,
        created_by="system:builtin",
    )


def get_profile_for(
    period: Period, *, profiles: list[IndexProfile] | None = None
) -> tuple[IndexProfile, ProfileDefinition]:
    """Return the profile in force on the period's first day (the earliest if none was).

    Profiles are never edited, so each one's parsed definition is kept per process.
    """
    if profiles is None:
        profiles = list(IndexProfile.objects.order_by("-effective_from", "-id"))
    if not profiles:
        # Migration 0002 stores the default; a database emptied since (a test flush) still
        # scores with the same built-in methodology.
        profiles = [builtin_profile()]
    first_day = period.start.date()
    chosen = next((p for p in profiles if p.effective_from <= first_day), profiles[-1])
    key = (chosen.pk, chosen.code, chosen.version)
    definition = _definitions.get(key)
    if definition is None:
        definition = _definitions[key] = ProfileDefinition.model_validate(chosen.definition)
    return chosen, definition


def _figures(
    period: Period, unit_ids: list[int] | None, procedure: str = "", *, kind: str | None = None
) -> dict[int, dict[str, Any]]:
    """Counters (and, for all procedures, catalogue figures) per unit: of ``unit_ids``, or
    of every unit of ``kind`` (a join, not a long ``IN`` list)."""
    counters = ScoreCounter.objects.filter(period=period.key, procedure_code=procedure)
    catalog = CatalogFigures.objects.filter(period=period.key)
    if kind is not None:
        counters = counters.filter(unit__kind=kind)
        catalog = catalog.filter(unit__kind=kind)
    elif unit_ids is not None:
        counters = counters.filter(unit_id__in=unit_ids)
        catalog = catalog.filter(unit_id__in=unit_ids)
    out: dict[int, dict[str, Any]] = {}
    for values in counters.values("unit_id", "revision_count", "revised_at", *COUNTER_FIELDS):
        out[values.pop("unit_id")] = values
    if not procedure:
        for values in catalog.values("unit_id", *CATALOG_FIELDS):
            out.setdefault(values.pop("unit_id"), {}).update(values)
    return out


@dataclass
class LeagueRow:
    unit: ScoreUnit
    scorecard: Scorecard
    rank: int | None
    group_ranks: dict[str, int | None]
    previous_total: float | None
    revision_count: int

    @property
    def total(self) -> float | None:
        return self.scorecard.total

    @property
    def delta(self) -> float | None:
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total


@dataclass
class LeagueTable:
    kind: str
    period: Period
    profile: IndexProfile
    definition: ProfileDefinition
    rows: list[LeagueRow]
    is_final: bool
    group_codes: list[str] = field(default_factory=list)


def _scorecards(
    units: list[ScoreUnit], period: Period
) -> tuple[dict[int, Scorecard], dict[int, dict[str, Any]], IndexProfile, ProfileDefinition]:
    profile, definition = get_profile_for(period)
    kinds = {u.kind for u in units}
    if len(kinds) == 1 and len(units) > 20:
        figures = _figures(period, None, kind=kinds.pop())
    else:
        figures = _figures(period, [u.pk for u in units])
    cards = {u.pk: compute_scorecard(figures.get(u.pk, {}), definition, u.kind) for u in units}
    return cards, figures, profile, definition


def score_league(
    units: list[ScoreUnit],
    period: Period,
    *,
    now: dt.datetime | None = None,
    previous_totals: dict[int, float | None] | None = None,
) -> list[LeagueRow]:
    """Score and rank ``units`` (one kind) for ``period`` from the counters, best first.

    The change is measured against ``previous_totals`` (the stored cards of the previous
    period) or, without them, against the previous period scored here.
    """
    moment = now or clock.now()
    cards, figures, _profile, definition = _scorecards(units, period)
    previous = period.previous()
    if previous_totals is None:
        previous_totals = {}
        if previous.has_started(moment):
            previous_totals = {
                pk: card.total for pk, card in _scorecards(units, previous)[0].items()
            }
    tolerance = definition.tie_tolerance
    totals = rank(((u.pk, cards[u.pk].total) for u in units), tolerance=tolerance)
    group_codes = [g.code for g in definition.groups]
    group_ranks = {
        code: rank(
            (
                (u.pk, cards[u.pk].group(code).score if cards[u.pk].has_data else None)
                for u in units
            ),
            tolerance=tolerance,
        )
        for code in group_codes
    }
    rows = [
        LeagueRow(
            unit=u,
            scorecard=cards[u.pk],
            rank=totals[u.pk],
            group_ranks={code: group_ranks[code][u.pk] for code in group_codes},
            previous_total=previous_totals.get(u.pk),
            revision_count=int(figures.get(u.pk, {}).get("revision_count") or 0),
        )
        for u in units
    ]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.name))
    return rows


def get_league_table(kind: str, period: Period, *, now: dt.datetime | None = None) -> LeagueTable:
    """Return every active unit of ``kind`` with its scores and ranks for ``period``,
    scored from the counters here (with every indicator: the open data)."""
    moment = now or clock.now()
    get_unit_kind(kind)
    units = list(
        ScoreUnit.objects.filter(kind=kind, is_active=True)
        .select_related("parent")
        .order_by("name")
    )
    profile, definition = get_profile_for(period)
    return LeagueTable(
        kind=kind,
        period=period,
        profile=profile,
        definition=definition,
        rows=score_league(units, period, now=moment),
        is_final=period.has_ended(moment),
        group_codes=[g.code for g in definition.groups],
    )


def _stale_periods(kind: str, keys: list[str], unit: int | None) -> list[str]:
    """Return the keys whose league of ``kind`` is dirty or has no stored card (for
    ``unit``: lacks its card) — one statement, two indexed probes per period."""
    quote = connection.ops.quote_name
    dirty = quote(ScorecardDirty._meta.db_table)
    cards = quote(UnitScorecard._meta.db_table)
    units = quote(ScoreUnit._meta.db_table)
    values = ", ".join(["(%s)"] * len(keys))
    owner = "c.unit_id = %s" if unit is not None else "c.kind = %s"
    # Identifiers come from the models; every value is a parameter.
    sql = (
        f"WITH p (k) AS (VALUES {values}) SELECT p.k FROM p WHERE "  # noqa: S608
        f"EXISTS (SELECT 1 FROM {dirty} d WHERE d.period = p.k AND d.unit_id IN "
        f"(SELECT u.id FROM {units} u WHERE u.kind = %s)) "
        f"OR NOT EXISTS (SELECT 1 FROM {cards} c WHERE c.period = p.k AND {owner})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys, kind, unit if unit is not None else kind])
        return [row[0] for row in cursor.fetchall()]


def _ensure_fresh(
    kind: str, periods: list[Period], now: dt.datetime, unit: int | None = None
) -> None:
    """Refresh the stored cards of ``kind``'s leagues in ``periods`` that are dirty or were
    never scored (for ``unit``: that lack its card). One indexed read when all is current;
    a league being refreshed by another process is read as it is."""
    from motcua.scoreboard.actions.scorecards import refresh_league

    if not periods:
        return
    stale = set(_stale_periods(kind, [p.key for p in periods], unit))
    for period in periods:
        if period.key in stale:
            refresh_league(kind, period, now=now, wait=False)


def get_league_summary(
    kind: str, period: Period, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The league table as plain data (what the pages and the API show), read from the
    stored cards (``UnitScorecard``), refreshed first if the counters moved since."""
    moment = now or clock.now()
    get_unit_kind(kind)
    _ensure_fresh(kind, [period], moment)
    _profile, definition = get_profile_for(period)
    # Plain values (one join, no model instances): 166 communes are 166 small tuples.
    cards = list(
        UnitScorecard.objects.filter(kind=kind, period=period.key, unit__is_active=True).values(
            "unit_id", "unit__code", "unit__name", "unit__kind", "unit__parent__code", "rank",
            "total", "band", "previous_total", "revision_count", "has_data", "groups",
            "group_ranks", "computed_at",
        )
    )  # fmt: skip
    cards.sort(key=lambda c: (c["rank"] is None, c["rank"] or 0, c["unit__name"]))
    stamp = max((c["computed_at"] for c in cards), default=None)
    return {
        "kind": kind,
        "period": period.key,
        "is_final": period.has_ended(moment),
        "profile": _profile.label,
        "stamp": stamp.isoformat() if stamp is not None else "",
        "groups": [(g.code, g.max) for g in definition.groups],
        "rows": [
            {
                "unit_id": card["unit_id"],
                "code": card["unit__code"],
                "name": card["unit__name"],
                "kind": card["unit__kind"],
                "parent_code": card["unit__parent__code"],
                "rank": card["rank"],
                "total": card["total"],
                "band": card["band"] or None,
                "previous_total": card["previous_total"],
                "delta": (
                    None
                    if card["total"] is None or card["previous_total"] is None
                    else card["total"] - card["previous_total"]
                ),
                "revision_count": card["revision_count"],
                "has_data": card["has_data"],
                "groups": card["groups"],
                "group_ranks": card["group_ranks"],
            }
            for card in cards
        ],
    }


@dataclass
class UnitScore:
    unit: ScoreUnit
    period: Period
    profile: IndexProfile
    scorecard: Scorecard
    figures: dict[str, Any]
    rank: int | None
    ranked_units: int
    previous_total: float | None
    is_final: bool
    procedure: str
    revisions: list[CounterRevision]

    @property
    def delta(self) -> float | None:
        if self.scorecard.total is None or self.previous_total is None:
            return None
        return self.scorecard.total - self.previous_total


def list_unit_procedures(unit: ScoreUnit, period: Period) -> list[str]:
    """Return the procedure codes with dossiers at ``unit`` in ``period``."""
    return list(
        ScoreCounter.objects.filter(period=period.key, unit=unit)
        .exclude(procedure_code="")
        .order_by("procedure_code")
        .values_list("procedure_code", flat=True)
    )


def get_unit_score(
    unit: ScoreUnit, period: Period, *, procedure: str = "", now: dt.datetime | None = None
) -> UnitScore:
    """Return ``unit``'s six groups for ``period`` (or one procedure's dossier indicators)."""
    moment = now or clock.now()
    if procedure:
        profile, definition = get_profile_for(period)
        figures = _figures(period, [unit.pk], procedure).get(unit.pk)
        if figures is None:
            raise UnknownProcedure(params={"procedure": procedure})
        card = compute_scorecard(figures, definition, unit.kind, per_procedure=True)
        return UnitScore(unit, period, profile, card, figures, None, 0, None,
                         period.has_ended(moment), procedure, [])  # fmt: skip
    profile, definition = get_profile_for(period)
    _ensure_fresh(unit.kind, [period], moment, unit=unit.pk)
    stored = UnitScorecard.objects.filter(unit=unit, period=period.key).first()
    ranked = UnitScorecard.objects.filter(
        kind=unit.kind, period=period.key, rank__isnull=False, unit__is_active=True
    ).count()
    figures = _figures(period, [unit.pk]).get(unit.pk, {})
    card = compute_scorecard(figures, definition, unit.kind)
    revisions = list(
        CounterRevision.objects.filter(unit=unit, period=period.key).order_by("-revised_at")[:20]
    )
    return UnitScore(
        unit=unit,
        period=period,
        profile=profile,
        scorecard=card,
        figures=figures,
        rank=stored.rank if stored is not None else None,
        ranked_units=ranked,
        previous_total=stored.previous_total if stored is not None else None,
        is_final=period.has_ended(moment),
        procedure="",
        revisions=revisions,
    )


@dataclass
class TrendPoint:
    period: Period
    total: float | None
    groups: dict[str, float]
    is_final: bool


def get_unit_trend(
    unit: ScoreUnit, year: int, *, now: dt.datetime | None = None
) -> list[TrendPoint]:
    """Return the unit's total and group scores for each started month of ``year``."""
    moment = now or clock.now()
    months = [p for p in Period(year, PeriodKind.YEAR, 0).month_periods() if p.has_started(moment)]
    if not months:
        return []
    _ensure_fresh(unit.kind, months, moment, unit=unit.pk)
    stored = {
        card.period: card
        for card in UnitScorecard.objects.filter(unit=unit, period__in=[p.key for p in months])
    }
    points = []
    for period in months:
        card = stored.get(period.key)
        has_data = card is not None and card.has_data
        points.append(
            TrendPoint(
                period=period,
                total=card.total if card is not None else None,
                groups=dict(card.groups) if has_data and card is not None else {},
                is_final=period.has_ended(moment),
            )
        )
    return points


# --- Explain (officials only) ---------------------------------------------------------------


def may_explain(actor: Actor, unit: ScoreUnit) -> bool:
    """Officials of the unit, of an agency under it, or of the unit above it; administrators."""
    if actor.is_superuser or actor.is_system:
        return True
    if not actor.is_official or actor.agency_id is None:
        return False
    from motcua.scoreboard.actions.incremental import resolver

    own = resolver.resolve(actor.agency_id)
    if own is None:
        return False
    return unit.pk == own[0] or unit.parent_id == own[0]


@dataclass
class ExplainPage:
    unit: ScoreUnit
    period: Period
    indicator: str
    part: str
    total: int
    rows: list[dict[str, Any]]
    next_after: int | None


def _explain_queryset(
    unit: ScoreUnit, period: Period, indicator: str, part: str, now: dt.datetime
) -> QuerySet[DossierFact]:
    spec = INDICATORS.get(indicator)
    if spec is None or not spec.can_explain or not spec.is_supported:
        raise UnknownIndicator(params={"indicator": indicator})
    assert spec.explain_denominator is not None
    assert spec.explain_numerator is not None
    first, last = period.month_range
    at = period.evaluated_at(now)
    granularity = period.kind
    base = DossierFact.objects.filter(
        Q(unit=unit) | Q(parent_unit=unit), month__gte=first, month__lte=last
    )
    base = base.filter(spec.explain_denominator(granularity, at))
    if part == "numerator":
        base = base.filter(spec.explain_numerator(granularity, at))
    return base


def list_explained_dossiers(
    actor: Actor,
    unit: ScoreUnit,
    period: Period,
    indicator: str,
    *,
    part: str = "denominator",
    procedure: str = "",
    after: int | None = None,
    limit: int = 50,
    now: dt.datetime | None = None,
) -> ExplainPage:
    """Return the dossiers counted in an indicator's numerator or denominator (keyset pages).

    Raise ``scoreboard.explain_not_allowed`` unless ``may_explain``; the public sees counts
    only. ``scoreboard.unknown_indicator`` for an indicator not counted from dossiers.
    """
    if not may_explain(actor, unit):
        raise ExplainNotAllowed()
    moment = now or clock.now()
    queryset = _explain_queryset(
        unit, period, indicator, "numerator" if part == "numerator" else "denominator", moment
    )
    if procedure:
        queryset = queryset.filter(procedure_code=procedure)
    total = queryset.count()
    page = queryset.order_by("dossier_id")
    if after is not None:
        page = page.filter(dossier_id__gt=after)
    rows = list(
        page.values(
            "dossier_id", "code", "procedure_code", "received_at", "due_at", "end_at",
            f"class_{period.kind}", "channel",
        )[: limit + 1]
    )  # fmt: skip
    for row in rows:
        row["timeliness"] = row.pop(f"class_{period.kind}")
    next_after = rows[limit - 1]["dossier_id"] if len(rows) > limit else None
    return ExplainPage(unit, period, indicator, part, total, rows[:limit], next_after)


# --- Open data -----------------------------------------------------------------------------


OPEN_DATA_COLUMNS = [
    "period", "profile", "unit_code", "unit_name", "unit_kind", "group", "indicator",
    "numerator", "denominator", "rate", "score", "max_score", "status", "group_score",
    "total", "rank", "band", "is_final",
]  # fmt: skip


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def iter_open_data(
    period: Period, *, kind: str | None = None, now: dt.datetime | None = None
) -> Iterator[dict[str, Any]]:
    """Yield one row per unit and indicator (with group, total, rank and band) of ``period``."""
    kinds = [get_unit_kind(kind)] if kind else list_unit_kinds()
    for unit_kind in kinds:
        table = get_league_table(unit_kind, period, now=now)
        for row in table.rows:
            for group in row.scorecard.groups:
                for result in group.indicators:
                    yield {
                        "period": period.key,
                        "profile": table.profile.label,
                        "unit_code": row.unit.code,
                        "unit_name": row.unit.name,
                        "unit_kind": unit_kind,
                        "group": group.code,
                        "indicator": result.code,
                        "numerator": result.numerator,
                        "denominator": result.denominator,
                        "rate": _r(result.rate),
                        "score": _r(result.score),
                        "max_score": result.max,
                        "status": result.status,
                        "group_score": _r(group.score),
                        "total": _r(row.total),
                        "rank": row.rank,
                        "band": row.scorecard.band,
                        "is_final": table.is_final,
                    }
