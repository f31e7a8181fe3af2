"""``/api/v1/calendar``: the working-day calendar and due-date computation, public, read-only."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router

from motcua.kernel.clock import VN_TZ
from motcua.workdays import selectors
from motcua.workdays.choices import DueTime, TimeUnit
from motcua.workdays.errors import CalendarOutOfRange
from motcua.workdays.schemas import CalendarDayOut, CalendarYearOut, DueDateOut, ScheduleOut

__all__ = ["router"]

router = Router(tags=["calendar"])


# Declared before ``/{year}`` so that "due-date" is never read as a year.
@router.get(
    "/due-date",
    response=DueDateOut,
    url_name="calendar_due_date",
    summary="Tính ngày hẹn trả kết quả",
)
def get_due_date(
    request: HttpRequest,
    received_at: Annotated[
        dt.datetime,
        Query(description="Thời điểm tiếp nhận, kèm múi giờ (ví dụ 2025-04-25T16:00:00+07:00)."),
    ],
    time_limit: Annotated[float, Query(ge=0, le=100_000, description="Thời hạn giải quyết.")],
    time_unit: Annotated[TimeUnit, Query(description="Đơn vị của thời hạn.")] = (
        TimeUnit.WORKING_DAYS
    ),
    agency: Annotated[
        str | None,
        Query(description="Mã định danh (QCVN 102) của cơ quan tiếp nhận; để trống: giờ chung."),
    ] = None,
    due_time: Annotated[
        DueTime | None,
        Query(description="Giờ hẹn trả: cuối giờ làm việc hoặc cùng giờ tiếp nhận."),
    ] = None,
) -> DueDateOut:
    """Return the deemed receipt and the due moment, with the office hours applied.

    Non-working days, the receipt cut-off and the agency's office hours are taken into
    account; errors: ``calendar.naive_datetime``, ``calendar.invalid_time_limit``,
    ``calendar.out_of_range``, ``agencies.unknown_agency`` (404).
    """
    schedule = selectors.get_agency_and_schedule(agency)[1] if agency else selectors.get_schedule()
    calendar = selectors.get_calendar()
    due_at = calendar.compute_due_at(
        received_at, time_limit, time_unit, schedule, due_time=due_time
    )
    return DueDateOut(
        received_at=received_at.astimezone(VN_TZ),
        deemed_receipt_at=calendar.deemed_receipt(received_at, schedule),
        due_at=due_at,
        time_limit=time_limit,
        time_unit=time_unit,
        agency=agency or None,
        schedule=ScheduleOut.build(schedule),
    )


@router.get(
    "/{year}",
    response=CalendarYearOut,
    url_name="calendar_year",
    summary="Ngày nghỉ lễ, nghỉ bù và ngày làm bù của một năm",
)
def get_year(request: HttpRequest, year: int) -> CalendarYearOut:
    """Return the year's days off on weekdays and its worked weekend days, with sources.

    ``source`` is ``database`` when the year was seeded and edited here, ``package``
    when it still comes from the ``holidays`` package. A year outside the calendar's
    range gives ``calendar.out_of_range``.
    """
    first, last = selectors.calendar_range()
    if not first <= year <= last:
        raise CalendarOutOfRange(
            params={"value": year, "first": dt.date(first, 1, 1), "last": dt.date(last, 12, 31)}
        )
    calendar = selectors.get_calendar()
    entries = selectors.list_year_entries(year)
    return CalendarYearOut(
        year=year,
        source="database" if selectors.is_year_seeded(year) else "package",
        working_days=len(calendar.working_days_in(dt.date(year, 1, 1), dt.date(year, 12, 31))),
        days=[CalendarDayOut.build(entry) for entry in entries],
    )
