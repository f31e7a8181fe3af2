"""The write path of the working-day calendar and of agencies' office hours.

Each ``do_*`` function checks permission and input first (raising an
``ApplicationError`` that changes nothing), then writes in one transaction with an
audit row: aggregate ``workdays.calendar`` keyed by the year for the national
calendar, ``workdays.schedule`` keyed by the agency id for office hours. Calendar
changes also replace the ``CalendarRevision`` token so that every process rebuilds
its in-memory calendar (see ``selectors``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.audit import actions as audit
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import InvalidInput
from motcua.workdays.choices import CalendarDayKind, CalendarDayOrigin, DueTime
from motcua.workdays.errors import (
    AlreadyDayOff,
    CalendarOutOfRange,
    CalendarPermissionDenied,
    DuplicateCalendarDate,
    InvalidSeedYears,
    MissingName,
    MissingReason,
    MissingSourceDocument,
    NotAWeekend,
    SchedulePermissionDenied,
    SeedConflict,
)
from motcua.workdays.models import AgencySchedule, CalendarDay, CalendarRevision, CalendarYear
from motcua.workdays.schedule import Schedule
from motcua.workdays.seed import PACKAGE_VERSION, holiday_entries
from motcua.workdays.selectors import calendar_range, invalidate_calendar_cache

__all__ = [
    "SeedResult",
    "check_calendar_day_text",
    "check_can_change_calendar",
    "check_can_change_schedule",
    "check_new_calendar_day",
    "do_add_calendar_day",
    "do_remove_calendar_day",
    "do_reset_agency_schedule",
    "do_seed_calendar_from_holidays",
    "do_set_agency_schedule",
    "do_update_calendar_day",
]

# Values of identity.roles.Role; not imported because identity sits above workdays.
SYSTEM_ADMIN = "system_admin"
AGENCY_ADMIN = "agency_admin"
CALENDAR_AGGREGATE = "workdays.calendar"
SCHEDULE_AGGREGATE = "workdays.schedule"
_NAME_MAX, _SOURCE_MAX = 200, 500


@dataclass(frozen=True)
class SeedResult:
    seeded_years: list[int]
    skipped_years: list[int]
    days_added: Counter[str] = field(default_factory=Counter)


def check_can_change_calendar(actor: Actor) -> None:
    """Raise ``CalendarPermissionDenied`` unless ``actor`` administers the whole system."""
    if not actor.has_role(SYSTEM_ADMIN):
        raise CalendarPermissionDenied()


def check_can_change_schedule(actor: Actor, agency: Agency) -> None:
    """Raise ``SchedulePermissionDenied`` unless ``actor`` is a system admin or the agency's admin."""
    if actor.has_role(SYSTEM_ADMIN):
        return
    if AGENCY_ADMIN in actor.roles and actor.agency_id == agency.pk:
        return
    raise SchedulePermissionDenied()


def check_calendar_day_text(*, name: str, source_document: str) -> None:
    """Raise ``MissingName``/``MissingSourceDocument``/``InvalidInput`` for bad texts."""
    if not name.strip():
        raise MissingName(field_errors={"name": [MissingName.default_message]})
    if not source_document.strip():
        raise MissingSourceDocument(
            field_errors={"source_document": [MissingSourceDocument.default_message]}
        )
    too_long = _("Dài quá %(limit)s ký tự.")
    if len(name.strip()) > _NAME_MAX:
        raise InvalidInput(field_errors={"name": [str(too_long) % {"limit": _NAME_MAX}]})
    if len(source_document.strip()) > _SOURCE_MAX:
        raise InvalidInput(
            field_errors={"source_document": [str(too_long) % {"limit": _SOURCE_MAX}]}
        )


def check_new_calendar_day(
    date: dt.date, *, kind: CalendarDayKind | str, name: str, source_document: str
) -> None:
    """Validate an override before it is added; raise the error that explains the problem.

    ``calendar.duplicate_date`` if the date is already stored (or, in a year not yet
    seeded, already in the package's calendar); ``calendar.not_a_weekend`` for an
    extra working day on Monday–Friday; ``calendar.already_off`` for a day off on a
    weekend or on a day the calendar already has off; ``calendar.missing_name`` /
    ``calendar.missing_source`` for empty texts; ``calendar.out_of_range``.
    """
    if kind not in CalendarDayKind.values:
        raise InvalidInput(field_errors={"kind": [_("Loại ngày không hợp lệ.")]})
    check_calendar_day_text(name=name, source_document=source_document)
    first, last = calendar_range()
    if not first <= date.year <= last:
        raise CalendarOutOfRange(
            params={"value": date, "first": dt.date(first, 1, 1), "last": dt.date(last, 12, 31)}
        )
    params = {"date": f"{date:%d/%m/%Y}"}
    stored = CalendarDay.objects.filter(date=date).first()
    if stored is not None:
        raise DuplicateCalendarDate(
            params={**params, "kind": stored.get_kind_display()},
            field_errors={"date": [_("Ngày này đã có trong lịch.")]},
        )
    package = None
    if not CalendarYear.objects.filter(year=date.year).exists():
        package = next((e for e in holiday_entries(date.year, date.year) if e.date == date), None)
    if kind == CalendarDayKind.EXTRA_WORKING_DAY:
        if date.weekday() < 5:
            raise NotAWeekend(
                params=params, field_errors={"date": [_("Không phải thứ Bảy, Chủ nhật.")]}
            )
        if package is not None:
            raise DuplicateCalendarDate(
                params={**params, "kind": package.kind.label},
                field_errors={"date": [_("Ngày này đã có trong lịch.")]},
            )
    elif date.weekday() >= 5 or (package is not None and package.is_day_off):
        raise AlreadyDayOff(params=params, field_errors={"date": [_("Ngày này đã là ngày nghỉ.")]})


def _bump_revision() -> None:
    CalendarRevision.objects.update_or_create(
        pk=1, defaults={"token": uuid.uuid4(), "changed_at": clock.now()}
    )
    # This process must see its own edit now (it may validate the next one against it),
    # and again after commit in case another thread re-read the old rows meanwhile.
    invalidate_calendar_cache()
    transaction.on_commit(invalidate_calendar_cache)


def _day_data(day: CalendarDay) -> dict[str, object]:
    return {
        "date": day.date.isoformat(),
        "kind": day.kind,
        "name": day.name,
        "source_document": day.source_document,
    }


def do_add_calendar_day(
    date: dt.date,
    *,
    actor: Actor,
    kind: CalendarDayKind | str,
    name: str,
    source_document: str,
) -> CalendarDay:
    """Add an override (holiday, compensatory day off or extra working day) to the calendar.

    Raises ``CalendarPermissionDenied`` unless the actor is a system administrator,
    and every error of ``check_new_calendar_day``; nothing is written then.
    """
    check_can_change_calendar(actor)
    name, source_document = name.strip(), source_document.strip()
    check_new_calendar_day(date, kind=kind, name=name, source_document=source_document)
    with transaction.atomic():
        try:
            with transaction.atomic():
                day = CalendarDay.objects.create(
                    date=date,
                    kind=CalendarDayKind(kind),
                    name=name,
                    source_document=source_document,
                    origin=CalendarDayOrigin.ADMINISTRATOR,
                    created_by=actor.ref[:100],
                )
        except IntegrityError:
            # Another administrator added the same date between our check and insert.
            raise DuplicateCalendarDate(params={"date": f"{date:%d/%m/%Y}", "kind": ""}) from None
        audit.record(
            actor=actor,
            action="workdays.calendar_day_added",
            aggregate_type=CALENDAR_AGGREGATE,
            aggregate_id=date.year,
            data=_day_data(day),
        )
        _bump_revision()
    return day


def do_update_calendar_day(
    day: CalendarDay, *, actor: Actor, name: str, source_document: str
) -> CalendarDay:
    """Correct the name or source document of an override (its date and kind stay)."""
    check_can_change_calendar(actor)
    name, source_document = name.strip(), source_document.strip()
    check_calendar_day_text(name=name, source_document=source_document)
    with transaction.atomic():
        # The caller's object may already carry the new texts (admin forms): read the
        # stored row for the audit's "before".
        stored = CalendarDay.objects.select_for_update().get(pk=day.pk)
        before = _day_data(stored)
        stored.name, stored.source_document = name, source_document
        stored.save(update_fields=["name", "source_document"])
        day.name, day.source_document = name, source_document
        audit.record(
            actor=actor,
            action="workdays.calendar_day_updated",
            aggregate_type=CALENDAR_AGGREGATE,
            aggregate_id=stored.date.year,
            data={"before": before, "after": _day_data(stored)},
        )
        _bump_revision()
    return stored


def do_remove_calendar_day(day: CalendarDay, *, actor: Actor, reason: str) -> None:
    """Remove an override; ``reason`` (required) is kept in the audit log with the row."""
    check_can_change_calendar(actor)
    if not reason.strip():
        raise MissingReason(field_errors={"reason": [MissingReason.default_message]})
    data = {**_day_data(day), "reason": reason.strip()}
    with transaction.atomic():
        CalendarDay.objects.filter(pk=day.pk).delete()
        audit.record(
            actor=actor,
            action="workdays.calendar_day_removed",
            aggregate_type=CALENDAR_AGGREGATE,
            aggregate_id=day.date.year,
            data=data,
        )
        _bump_revision()


def do_seed_calendar_from_holidays(years: Iterable[int], *, actor: Actor) -> SeedResult:
    """Seed each year not seeded yet from ``holidays.VN``; leave seeded years untouched.

    Idempotent: a year seeded once keeps its rows, including an administrator's later
    edits, so running it again changes nothing. A date an administrator stored before
    the year was seeded is kept as it is. Raises ``InvalidSeedYears`` for an empty
    list or a year outside the calendar's range.
    """
    check_can_change_calendar(actor)
    wanted = sorted({int(year) for year in years})
    first, last = calendar_range()
    if not wanted or wanted[0] < first or wanted[-1] > last:
        raise InvalidSeedYears(params={"first": first, "last": last})
    with transaction.atomic():
        done = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
        todo = [year for year in wanted if year not in done]
        result = SeedResult(seeded_years=todo, skipped_years=sorted(done))
        if not todo:
            return result
        stored = set(CalendarDay.objects.filter(date__year__in=todo).values_list("date", flat=True))
        entries = [
            entry
            for entry in holiday_entries(todo[0], todo[-1])
            if entry.date.year in todo and entry.date not in stored
        ]
        try:
            with transaction.atomic():
                # Claims the years first: a concurrent seeder of the same year stops here.
                CalendarYear.objects.bulk_create(
                    [CalendarYear(year=year, package_version=PACKAGE_VERSION) for year in todo]
                )
        except IntegrityError:
            raise SeedConflict() from None
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(
                    date=entry.date,
                    kind=entry.kind,
                    name=entry.name,
                    source_document=entry.source_document,
                    origin=CalendarDayOrigin.PACKAGE,
                    created_by=actor.ref[:100],
                )
                for entry in entries
            ]
        )
        for year in todo:
            counts = Counter(str(entry.kind) for entry in entries if entry.date.year == year)
            result.days_added.update(counts)
            audit.record(
                actor=actor,
                action="workdays.calendar_seeded",
                aggregate_type=CALENDAR_AGGREGATE,
                aggregate_id=year,
                data={"package": "holidays", "version": PACKAGE_VERSION, "days": dict(counts)},
            )
        _bump_revision()
    return result


def _schedule_data(schedule: Schedule) -> dict[str, str]:
    return {
        "morning_start": schedule.morning_start.isoformat(),
        "morning_end": schedule.morning_end.isoformat(),
        "afternoon_start": schedule.afternoon_start.isoformat(),
        "afternoon_end": schedule.afternoon_end.isoformat(),
        "cutoff_time": schedule.cutoff_time.isoformat(),
        "due_time": str(schedule.due_time),
    }


def do_set_agency_schedule(
    agency: Agency,
    *,
    actor: Actor,
    morning_start: dt.time,
    morning_end: dt.time,
    afternoon_start: dt.time,
    afternoon_end: dt.time,
    cutoff_time: dt.time,
    due_time: DueTime | str = DueTime.END_OF_OFFICE_HOURS,
) -> AgencySchedule:
    """Set the office hours, receipt cut-off and due-time policy of ``agency``.

    Raises ``SchedulePermissionDenied`` unless the actor is a system administrator
    or an administrator of this agency, and ``InvalidOfficeHours``
    (``schedule.invalid_office_hours``, with the failing fields) when the periods are
    out of order or the cut-off lies outside them; nothing is written then.
    """
    check_can_change_schedule(actor, agency)
    if due_time not in DueTime.values:
        raise InvalidInput(field_errors={"due_time": [_("Cách tính giờ hẹn trả không hợp lệ.")]})
    schedule = Schedule(
        morning_start=morning_start,
        morning_end=morning_end,
        afternoon_start=afternoon_start,
        afternoon_end=afternoon_end,
        cutoff_time=cutoff_time,
        due_time=DueTime(due_time),
    )
    values = {
        "morning_start": morning_start,
        "morning_end": morning_end,
        "afternoon_start": afternoon_start,
        "afternoon_end": afternoon_end,
        "cutoff_time": cutoff_time,
        "due_time": str(schedule.due_time),
    }
    with transaction.atomic():
        row, created = AgencySchedule.objects.select_for_update().get_or_create(
            agency=agency, defaults=values
        )
        before = None if created else _schedule_data(row.as_schedule())
        if not created:
            for name, value in values.items():
                setattr(row, name, value)
            row.save(update_fields=[*values, "updated_at"])
        audit.record(
            actor=actor,
            action="workdays.schedule_set",
            aggregate_type=SCHEDULE_AGGREGATE,
            aggregate_id=agency.pk,
            data={"agency": agency.code, "before": before, "after": _schedule_data(schedule)},
        )
    return row


def do_reset_agency_schedule(agency: Agency, *, actor: Actor) -> None:
    """Remove the agency's own schedule so that the national default applies again."""
    check_can_change_schedule(actor, agency)
    with transaction.atomic():
        row = AgencySchedule.objects.select_for_update().filter(agency=agency).first()
        if row is None:
            return
        before = _schedule_data(row.as_schedule())
        row.delete()
        audit.record(
            actor=actor,
            action="workdays.schedule_reset",
            aggregate_type=SCHEDULE_AGGREGATE,
            aggregate_id=agency.pk,
            data={"agency": agency.code, "before": before},
        )
