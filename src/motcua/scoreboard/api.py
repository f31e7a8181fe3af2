"""``/api/v1/scoreboard``: the Decision 766 index as JSON — league tables, a unit's groups
and indicators, its monthly trend, open data, the profiles; and, for officials, the
dossiers behind an indicator. Public except the explain list (session authentication).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router
from ninja.security import django_auth

from motcua.identity.selectors import actor_from_request
from motcua.kernel import clock
from motcua.scoreboard import selectors
from motcua.scoreboard.indicators import Scorecard
from motcua.scoreboard.models import IndexProfile
from motcua.scoreboard.schemas import (
    ExplainOut,
    GroupOut,
    IndicatorOut,
    LeagueOut,
    LeagueRowOut,
    OpenDataOut,
    ProfileOut,
    TrendOut,
    TrendPointOut,
    UnitOut,
    UnitScoreOut,
)

__all__ = ["router"]

router = Router(tags=["scoreboard"])

Kind = Literal["ministry", "province", "department", "commune"]


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _groups(card: Scorecard) -> list[GroupOut]:
    return [
        GroupOut(
            code=g.code,
            label=str(g.label),
            max=g.max,
            score=_r(g.score) if card.has_data else None,
            indicators=[
                IndicatorOut(
                    code=i.code,
                    label=str(i.label),
                    status=i.status,
                    numerator=i.numerator,
                    denominator=i.denominator,
                    rate=_r(i.rate),
                    score=_r(i.score),
                    max=i.max,
                    threshold=i.threshold,
                )
                for i in g.indicators
            ],
        )
        for g in card.groups
    ]


def _unit(unit: Any) -> UnitOut:
    return UnitOut(
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        parent_code=unit.parent.code if unit.parent_id else None,
    )


def _profile(profile: IndexProfile) -> ProfileOut:
    return ProfileOut(
        code=profile.code,
        version=profile.version,
        name=profile.name,
        effective_from=profile.effective_from,
        definition=profile.definition,
    )


@router.get(
    "/periods/{period}/units",
    response=LeagueOut,
    url_name="scoreboard_league",
    summary="Bảng xếp hạng một loại đơn vị trong một kỳ",
)
def get_league(
    request: HttpRequest,
    period: str,
    kind: Annotated[Kind, Query(description="Loại đơn vị.")] = "department",
    final: Annotated[
        bool, Query(description="Chỉ nhận số liệu chính thức (kỳ đã kết thúc).")
    ] = False,
) -> LeagueOut:
    """Return every unit of ``kind`` with its total, band, rank, change and six groups.

    ``period``: ``2026-01`` (month), ``2026-Q1`` (quarter) or ``2026`` (year). Errors:
    ``scoreboard.unknown_period`` (404), ``scoreboard.period_not_started`` (404),
    ``scoreboard.period_not_ended`` (422, ``final=true`` on a period still running).
    """
    chosen = selectors.get_period(period, final=final)
    summary = selectors.get_league_summary(kind, chosen)
    return LeagueOut(
        period=chosen.key,
        period_label=chosen.label,
        is_final=summary["is_final"],
        kind=kind,
        profile=summary["profile"],
        rows=[
            LeagueRowOut(
                unit=UnitOut(
                    code=row["code"],
                    name=row["name"],
                    kind=row["kind"],
                    parent_code=row["parent_code"],
                ),
                rank=row["rank"],
                total=_r(row["total"]),
                band=row["band"],
                previous_total=_r(row["previous_total"]),
                delta=_r(row["delta"]),
                revision_count=row["revision_count"],
                groups={c: _r(v) if row["has_data"] else None for c, v in row["groups"].items()},
                group_ranks=row["group_ranks"],
            )
            for row in summary["rows"]
        ],
    )


@router.get(
    "/units/{code}",
    response=UnitScoreOut,
    url_name="scoreboard_unit",
    summary="Điểm các nhóm và chỉ số của một đơn vị trong một kỳ",
)
def get_unit_score(
    request: HttpRequest,
    code: str,
    period: Annotated[str | None, Query(description="Kỳ; mặc định quý hiện tại.")] = None,
    procedure: Annotated[str, Query(description="Mã thủ tục: chỉ các chỉ số tính từ hồ sơ.")] = "",
    final: bool = False,
) -> UnitScoreOut:
    """Return the unit's total, band, rank and each indicator's numerator, denominator,
    rate, score and maximum. Errors: ``scoreboard.unknown_unit`` (404), the period errors,
    ``scoreboard.unknown_procedure`` (404)."""
    unit = selectors.get_unit(code)
    chosen = selectors.get_period(period, final=final) if period else selectors.default_period()
    score = selectors.get_unit_score(unit, chosen, procedure=procedure)
    return UnitScoreOut(
        unit=_unit(unit),
        period=chosen.key,
        period_label=chosen.label,
        is_final=score.is_final,
        profile=score.profile.label,
        procedure=procedure or None,
        total=_r(score.scorecard.total),
        band=score.scorecard.band,
        rank=score.rank,
        ranked_units=score.ranked_units,
        delta=_r(score.delta),
        revision_count=int(score.figures.get("revision_count") or 0),
        groups=_groups(score.scorecard),
    )


@router.get(
    "/units/{code}/trend",
    response=TrendOut,
    url_name="scoreboard_trend",
    summary="Diễn biến tổng điểm và điểm nhóm theo tháng",
)
def get_trend(request: HttpRequest, code: str, year: int | None = None) -> TrendOut:
    """Return the unit's total and group scores for every started month of ``year``."""
    unit = selectors.get_unit(code)
    chosen = year or clock.local(clock.now()).year
    points = selectors.get_unit_trend(unit, chosen)
    return TrendOut(
        unit=_unit(unit),
        year=chosen,
        points=[
            TrendPointOut(
                period=p.period.key,
                total=_r(p.total),
                groups={k: _r(v) for k, v in p.groups.items()},
                is_final=p.is_final,
            )
            for p in points
        ],
    )


@router.get(
    "/units/{code}/explain/{indicator}",
    response=ExplainOut,
    url_name="scoreboard_explain",
    auth=django_auth,
    summary="Hồ sơ ở tử số hoặc mẫu số của một chỉ số (cán bộ)",
)
def get_explain(
    request: HttpRequest,
    code: str,
    indicator: str,
    period: str,
    part: Literal["numerator", "denominator"] = "denominator",
    procedure: str = "",
    after: int | None = None,
) -> ExplainOut:
    """Return a page of the dossiers counted (keyset ``after``). Officials of the unit,
    of an agency under it or of the unit above it; ``scoreboard.explain_not_allowed`` (403)
    otherwise; ``scoreboard.unknown_indicator`` (404) for one not counted from dossiers."""
    unit = selectors.get_unit(code)
    chosen = selectors.get_period(period)
    page = selectors.list_explained_dossiers(
        actor_from_request(request), unit, chosen, indicator,
        part=part, procedure=procedure, after=after,
    )  # fmt: skip
    return ExplainOut(
        unit=_unit(unit),
        period=chosen.key,
        indicator=indicator,
        part=part,
        total=page.total,
        items=page.rows,
        next_after=page.next_after,
    )


@router.get(
    "/open-data/{period}",
    response=OpenDataOut,
    url_name="scoreboard_open_data",
    summary="Dữ liệu mở: mọi số liệu đã công bố của một kỳ",
)
def get_open_data(request: HttpRequest, period: str, kind: Kind | None = None) -> OpenDataOut:
    """Return one row per unit and indicator with the profile version (also as CSV at
    ``/chi-so-phuc-vu/du-lieu-mo/<period>.csv``)."""
    chosen = selectors.get_period(period)
    return OpenDataOut(period=chosen.key, rows=list(selectors.iter_open_data(chosen, kind=kind)))


@router.get(
    "/profiles",
    response=list[ProfileOut],
    url_name="scoreboard_profiles",
    summary="Các bộ công thức tính chỉ số",
)
def list_profiles(request: HttpRequest) -> list[ProfileOut]:
    """Return every formula profile, newest first, with its full definition."""
    return [_profile(p) for p in IndexProfile.objects.order_by("-effective_from", "-id")]
