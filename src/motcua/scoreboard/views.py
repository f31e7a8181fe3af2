"""Public pages of the Decision 766 scoreboard (``/chi-so-phuc-vu/``) and its open data.

The league table of a kind of unit, a unit's six groups with its monthly trend (a chart
and, beside it, the same figures as a table), the methodology (the profile in force) and
CSV/JSON downloads of every published figure. The lists of dossiers behind an indicator
are for officials only. Every page works without JavaScript: the period and the kind of
unit are chosen with a plain GET form.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from motcua.identity.selectors import get_actor
from motcua.kernel import clock
from motcua.kernel.clock import VN_TZ
from motcua.scoreboard import selectors
from motcua.scoreboard.enums import Band, PeriodKind, Timeliness, UnitKind
from motcua.scoreboard.errors import ExplainNotAllowed
from motcua.scoreboard.indicators import GROUP_LABELS, INDICATORS
from motcua.scoreboard.periods import Period

__all__ = ["explain", "index", "methodology", "open_data", "unit_page"]


def period_choices(now: Any) -> list[tuple[str, str]]:
    """The periods offered in the form: this year's and last year's, newest first."""
    year = clock.local(now).year
    out: list[tuple[str, str]] = []
    for y in (year, year - 1):
        candidates = [Period(y, PeriodKind.YEAR, 0)]
        candidates += [Period(y, PeriodKind.QUARTER, q) for q in range(4, 0, -1)]
        candidates += [Period(y, PeriodKind.MONTH, m) for m in range(12, 0, -1)]
        for period in candidates:
            if not period.has_started(now):
                continue
            label = period.label
            if not period.has_ended(now):
                label = _("%(period)s (tạm tính)") % {"period": label}
            out.append((period.key, label))
    return out


def _period_from(request: HttpRequest) -> Period:
    key = request.GET.get("ky", "").strip()
    final = request.GET.get("chinh_thuc") == "1"
    if not key:
        return selectors.default_period()
    return selectors.get_period(key, final=final)


def _base_context(request: HttpRequest, period: Period) -> dict[str, Any]:
    now = clock.now()
    return {
        "period": period,
        "periods": period_choices(now),
        "is_final": period.has_ended(now),
        "group_labels": GROUP_LABELS,
        "bands": Band,
        "unit_kinds": UnitKind,
        "timeliness": Timeliness,
    }


def _number(value: float | None, separator: str) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", separator)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The league table of one kind of unit for one period (``?ky=2026-Q1&loai=commune``).

    The table is read from the stored cards (``UnitScorecard``); the rendered table is
    kept in the cache per language and per scoring of the league (the key holds the
    moment it was scored, so a new scoring is shown at once), for at most
    ``SCOREBOARD_CACHE_SECONDS``.
    """
    period = _period_from(request)
    kinds = selectors.list_unit_kinds()
    default = (
        UnitKind.DEPARTMENT
        if UnitKind.DEPARTMENT in kinds
        else (kinds[0] if kinds else UnitKind.PROVINCE)
    )
    kind = selectors.get_unit_kind(request.GET.get("loai", "").strip() or default)
    summary = selectors.get_league_summary(kind, period)
    profile, _definition = selectors.get_profile_for(period)
    group_heads = [(code, GROUP_LABELS.get(code, code), max_) for code, max_ in summary["groups"]]
    context = _base_context(request, period)
    context.update(
        {
            "kind": kind,
            "kind_label": UnitKind(kind).label,
            "kinds": [(k, UnitKind(k).label) for k in kinds],
            "group_heads": group_heads,
            "profile": profile,
            "breadcrumbs": [(_("Chỉ số phục vụ người dân, doanh nghiệp"), None)],
        }
    )
    key = f"scoreboard:league-html:{get_language()}:{kind}:{period.key}:{summary['stamp']}"
    seconds = int(getattr(settings, "SCOREBOARD_CACHE_SECONDS", 5))
    table_html = cache.get(key) if seconds else None
    if table_html is None:
        separator = str(formats.get_format("DECIMAL_SEPARATOR"))
        rows = [
            {
                **row,
                "total_text": _number(row["total"], separator),
                "delta_text": _number(row["delta"], separator),
                "group_texts": [
                    _number(row["groups"].get(code), separator) if row["has_data"] else "—"
                    for code, _max in summary["groups"]
                ],
            }
            for row in summary["rows"]
        ]
        table_html = render_to_string("scoreboard/_league_table.html", {**context, "rows": rows})
        if seconds:
            cache.set(key, table_html, seconds)
    context["table_html"] = mark_safe(table_html)  # noqa: S308 — our own rendered template
    return render(request, "scoreboard/league.html", context)


def _trend_chart(points: list[selectors.TrendPoint], group_codes: list[str]) -> dict[str, Any]:
    return {
        "labels": [p.period.label for p in points],
        "total": [None if p.total is None else round(p.total, 2) for p in points],
        "groups": {
            code: [round(p.groups[code], 2) if code in p.groups else None for p in points]
            for code in group_codes
        },
        "group_labels": {code: str(GROUP_LABELS.get(code, code)) for code in group_codes},
        "total_label": _("Tổng điểm"),
    }


@require_safe
def unit_page(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's six groups for a period, each indicator with its figures, and its trend."""
    unit = selectors.get_unit(code)
    period = _period_from(request)
    procedure = request.GET.get("thu_tuc", "").strip()
    score = selectors.get_unit_score(unit, period, procedure=procedure)
    points = selectors.get_unit_trend(unit, period.year)
    group_codes = [g.code for g in score.scorecard.groups]
    actor = get_actor(request.user)
    context = _base_context(request, period)
    context.update(
        {
            "unit": unit,
            "score": score,
            "procedures": selectors.list_unit_procedures(unit, period),
            "procedure": procedure,
            "trend": points,
            "trend_chart": _trend_chart(points, group_codes),
            "group_codes": group_codes,
            "may_explain": selectors.may_explain(actor, unit),
            "breadcrumbs": [
                (_("Chỉ số phục vụ người dân, doanh nghiệp"), reverse("scoreboard:index")),
                (unit.name, None),
            ],
        }
    )
    return render(request, "scoreboard/unit.html", context)


@require_safe
def explain(request: HttpRequest, code: str, indicator: str) -> HttpResponse:
    """The dossiers counted in an indicator's denominator or numerator (officials only)."""
    unit = selectors.get_unit(code)
    period = _period_from(request)
    actor = get_actor(request.user)
    part = "numerator" if request.GET.get("phan") == "tu-so" else "denominator"
    after_text = request.GET.get("sau", "")
    after = int(after_text) if after_text.isdigit() else None
    try:
        page = selectors.list_explained_dossiers(
            actor, unit, period, indicator, part=part,
            procedure=request.GET.get("thu_tuc", "").strip(), after=after,
        )  # fmt: skip
    except ExplainNotAllowed as error:
        return render(request, "web/error.html", {"error": error}, status=403)
    context = _base_context(request, period)
    context.update(
        {
            "unit": unit,
            "page": page,
            "indicator": INDICATORS[indicator],
            "part": part,
            "breadcrumbs": [
                (_("Chỉ số phục vụ người dân, doanh nghiệp"), reverse("scoreboard:index")),
                (unit.name, reverse("scoreboard:unit", args=[unit.code]) + f"?ky={period.key}"),
                (_("Hồ sơ làm căn cứ tính chỉ số"), None),
            ],
        }
    )
    return render(request, "scoreboard/explain.html", context)


@require_safe
def methodology(request: HttpRequest) -> HttpResponse:
    """The profile in force for a period: groups, indicators, maxima, thresholds, bands."""
    period = _period_from(request)
    profile, definition = selectors.get_profile_for(period)
    context = _base_context(request, period)
    context.update(
        {
            "profile": profile,
            "definition": definition,
            "rows": [
                {
                    "code": code,
                    "label": INDICATORS[code].label,
                    "group": group.code,
                    "max": definition.indicators[code].max,
                    "threshold": definition.indicators[code].threshold,
                    "supported": INDICATORS[code].is_supported,
                    "when_unsupported": definition.indicators[code].when_unsupported,
                    "unit_kinds": ", ".join(
                        str(UnitKind(k).label) for k in definition.indicators[code].unit_kinds or []
                    ),
                }
                for group in definition.groups
                for code in group.indicators
            ],
            "breadcrumbs": [
                (_("Chỉ số phục vụ người dân, doanh nghiệp"), reverse("scoreboard:index")),
                (_("Phương pháp tính"), None),
            ],
        }
    )
    return render(request, "scoreboard/methodology.html", context)


@require_safe
def open_data(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """Every published figure of a period (``?loai=`` one kind) as CSV or JSON."""
    period = selectors.get_period(key)
    kind = request.GET.get("loai", "").strip() or None
    rows = list(selectors.iter_open_data(period, kind=kind))
    name = f"chi-so-766-{period.key}{'-' + kind if kind else ''}"
    generated = clock.now().astimezone(VN_TZ).isoformat(timespec="seconds")
    response: HttpResponse
    if fmt == "json":
        response = JsonResponse(
            {"period": period.key, "generated_at": generated, "rows": rows},
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=selectors.OPEN_DATA_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
