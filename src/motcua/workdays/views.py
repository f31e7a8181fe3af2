"""Web pages of the working-day calendar: a year shown month by month."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from motcua.kernel import clock
from motcua.workdays import selectors
from motcua.workdays.choices import CalendarDayKind
from motcua.workdays.overview import build_year_overview

__all__ = ["index", "year_view"]


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Redirect to the current year (in Asia/Ho_Chi_Minh)."""
    return redirect("workdays:year", year=clock.local(clock.now()).year)


@require_safe
def year_view(request: HttpRequest, year: int) -> HttpResponse:
    """Render ``year`` month by month with holidays, days off in lieu and working Saturdays."""
    first, last = selectors.calendar_range()
    if not first <= year <= last:
        raise Http404
    overview = build_year_overview(selectors.get_calendar(), year)
    return render(
        request,
        "workdays/year.html",
        {
            "overview": overview,
            "year": year,
            "previous_year": year - 1 if year > first else None,
            "next_year": year + 1 if year < last else None,
            "is_seeded": selectors.is_year_seeded(year),
            "today": clock.local(clock.now()).date(),
            "kinds": CalendarDayKind,
            "breadcrumbs": [(_("Lịch làm việc"), reverse("workdays:index")), (str(year), None)],
        },
    )
