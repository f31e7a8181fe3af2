"""The write path: permissions, validation that changes nothing, audit rows, revisions."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.agencies.models import Agency
from motcua.audit.models import AuditEvent
from motcua.identity.roles import Role
from motcua.kernel.actors import Actor, ActorKind
from motcua.kernel.errors import ApplicationError, InvalidInput
from motcua.workdays import actions
from motcua.workdays.choices import CalendarDayKind, CalendarDayOrigin, DueTime
from motcua.workdays.models import AgencySchedule, CalendarDay, CalendarRevision, CalendarYear
from motcua.workdays.seed import PACKAGE_VERSION

pytestmark = pytest.mark.django_db

D, T = dt.date, dt.time
NO_SOURCE = ""


def _nothing_written() -> None:
    assert CalendarDay.objects.count() == 0
    assert CalendarRevision.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def _audits(aggregate_type: str = "workdays.calendar") -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.filter(aggregate_type=aggregate_type)
        .order_by("id")
        .values_list("action", "aggregate_id", "actor_ref")
    )


class TestAddCalendarDay:
    def test_adds_an_extra_day_off_with_audit_and_a_new_revision(self, system_admin: Actor) -> None:
        day = actions.do_add_calendar_day(
            D(2027, 5, 4),
            actor=system_admin,
            kind=CalendarDayKind.HOLIDAY,
            name="  Nghỉ thêm dịp 30/4 – 1/5  ",
            source_document="Thông báo 1/TB-BNV ngày 01/3/2027",
        )
        assert (day.date, day.kind, day.name, day.origin) == (
            D(2027, 5, 4),
            "holiday",
            "Nghỉ thêm dịp 30/4 – 1/5",
            CalendarDayOrigin.ADMINISTRATOR,
        )
        assert day.created_by == "official:1"
        assert _audits() == [("workdays.calendar_day_added", "2027", "official:1")]
        event = AuditEvent.objects.get()
        assert event.data == {
            "date": "2027-05-04",
            "kind": "holiday",
            "name": "Nghỉ thêm dịp 30/4 – 1/5",
            "source_document": "Thông báo 1/TB-BNV ngày 01/3/2027",
        }
        assert CalendarRevision.objects.count() == 1

    def test_adds_a_working_saturday(self, system_admin: Actor) -> None:
        day = actions.do_add_calendar_day(
            D(2027, 5, 8),
            actor=system_admin,
            kind="extra_working_day",
            name="Làm bù cho thứ Hai 03/5/2027",
            source_document="Thông báo 1/TB-BNV ngày 01/3/2027",
        )
        assert day.kind == CalendarDayKind.EXTRA_WORKING_DAY

    @pytest.mark.parametrize(
        ("date", "kind", "name", "source", "code"),
        [
            (D(2027, 5, 7), "extra_working_day", "Làm bù", "TB 1", "calendar.not_a_weekend"),
            (D(2027, 5, 8), "holiday", "Nghỉ", "TB 1", "calendar.already_off"),
            (D(2027, 5, 9), "compensatory_off", "Nghỉ bù", "TB 1", "calendar.already_off"),
            # Unseeded year: the package already has 30/04/2027 off.
            (D(2027, 4, 30), "compensatory_off", "Nghỉ", "TB 1", "calendar.already_off"),
            (D(2027, 5, 10), "holiday", "Nghỉ", NO_SOURCE, "calendar.missing_source"),
            (D(2027, 5, 10), "holiday", "Nghỉ", "   ", "calendar.missing_source"),
            (D(2027, 5, 10), "holiday", "", "TB 1", "calendar.missing_name"),
            (D(2027, 5, 10), "weekend", "Nghỉ", "TB 1", "invalid_input"),
            (D(2027, 5, 10), "holiday", "Nghỉ", "x" * 501, "invalid_input"),
            (D(1999, 5, 10), "holiday", "Nghỉ", "TB 1", "calendar.out_of_range"),
        ],
    )
    def test_invalid_overrides_are_refused_and_change_nothing(
        self, system_admin: Actor, date: dt.date, kind: str, name: str, source: str, code: str
    ) -> None:
        with pytest.raises(ApplicationError) as info:
            actions.do_add_calendar_day(
                date, actor=system_admin, kind=kind, name=name, source_document=source
            )
        assert info.value.code == code
        assert info.value.message
        _nothing_written()

    def test_a_date_twice_is_a_duplicate(self, system_admin: Actor) -> None:
        actions.do_add_calendar_day(
            D(2027, 5, 10), actor=system_admin, kind="holiday", name="Nghỉ", source_document="TB 1"
        )
        with pytest.raises(ApplicationError) as info:
            actions.do_add_calendar_day(
                D(2027, 5, 10),
                actor=system_admin,
                kind="compensatory_off",
                name="Nghỉ bù",
                source_document="TB 2",
            )
        assert info.value.code == "calendar.duplicate_date"
        assert info.value.status == 409
        assert (
            info.value.message == "Ngày 10/05/2027 đã có trong lịch làm việc (Ngày nghỉ lễ, tết)."
        )
        assert CalendarDay.objects.count() == 1
        assert len(_audits()) == 1

    def test_the_packages_working_saturday_is_a_duplicate_in_an_unseeded_year(
        self, system_admin: Actor
    ) -> None:
        with pytest.raises(ApplicationError) as info:
            actions.do_add_calendar_day(
                D(2026, 8, 22),
                actor=system_admin,
                kind="extra_working_day",
                name="Làm bù",
                source_document="TB",
            )
        assert info.value.code == "calendar.duplicate_date"
        _nothing_written()

    @pytest.mark.parametrize("role", [Role.AGENCY_ADMIN, Role.CATALOG_ADMIN, Role.SIGNER])
    def test_only_a_system_admin_may_change_the_calendar(self, role: str) -> None:
        actor = Actor(kind=ActorKind.OFFICIAL, id="9", agency_id=1, roles=frozenset({role}))
        with pytest.raises(ApplicationError) as info:
            actions.do_add_calendar_day(
                D(2027, 5, 10), actor=actor, kind="holiday", name="Nghỉ", source_document="TB 1"
            )
        assert info.value.code == "calendar.permission_denied"
        assert info.value.status == 403
        _nothing_written()

    def test_superusers_and_the_system_may(self) -> None:
        superuser = Actor(kind=ActorKind.OFFICIAL, id="3", is_superuser=True)
        actions.do_add_calendar_day(
            D(2027, 5, 10), actor=superuser, kind="holiday", name="Nghỉ", source_document="TB 1"
        )
        actions.do_add_calendar_day(
            D(2027, 5, 11),
            actor=Actor.system("tests"),
            kind="holiday",
            name="Nghỉ",
            source_document="TB 1",
        )
        assert CalendarDay.objects.count() == 2


class TestUpdateAndRemove:
    @pytest.fixture
    def day(self, system_admin: Actor) -> CalendarDay:
        return actions.do_add_calendar_day(
            D(2027, 5, 10), actor=system_admin, kind="holiday", name="Nghỉ", source_document="TB 1"
        )

    def test_update_keeps_date_and_kind_and_audits_before_and_after(
        self, day: CalendarDay, system_admin: Actor
    ) -> None:
        day.name = "changed in memory by a form"
        actions.do_update_calendar_day(
            day, actor=system_admin, name="Nghỉ lễ", source_document="Thông báo 2/TB-BNV"
        )
        day.refresh_from_db()
        assert (day.name, day.source_document) == ("Nghỉ lễ", "Thông báo 2/TB-BNV")
        event = AuditEvent.objects.filter(action="workdays.calendar_day_updated").get()
        assert event.data["before"]["name"] == "Nghỉ"
        assert event.data["after"]["source_document"] == "Thông báo 2/TB-BNV"

    def test_update_with_an_empty_source_changes_nothing(
        self, day: CalendarDay, system_admin: Actor
    ) -> None:
        with pytest.raises(ApplicationError) as info:
            actions.do_update_calendar_day(day, actor=system_admin, name="X", source_document="")
        assert info.value.code == "calendar.missing_source"
        day.refresh_from_db()
        assert day.source_document == "TB 1"
        assert len(_audits()) == 1

    def test_remove_needs_a_reason_and_is_audited(
        self, day: CalendarDay, system_admin: Actor
    ) -> None:
        with pytest.raises(ApplicationError) as info:
            actions.do_remove_calendar_day(day, actor=system_admin, reason=" ")
        assert info.value.code == "calendar.missing_reason"
        assert CalendarDay.objects.count() == 1
        actions.do_remove_calendar_day(day, actor=system_admin, reason="Nhập nhầm")
        assert CalendarDay.objects.count() == 0
        event = AuditEvent.objects.filter(action="workdays.calendar_day_removed").get()
        assert event.aggregate_id == "2027"
        assert event.data["reason"] == "Nhập nhầm"
        assert event.data["date"] == "2027-05-10"

    def test_remove_is_denied_to_others(self, day: CalendarDay, agency_admin: Actor) -> None:
        with pytest.raises(ApplicationError) as info:
            actions.do_remove_calendar_day(day, actor=agency_admin, reason="x")
        assert info.value.code == "calendar.permission_denied"
        assert CalendarDay.objects.count() == 1


class TestSeed:
    def test_seeds_each_year_once_with_one_audit_row_per_year(self, system_admin: Actor) -> None:
        result = actions.do_seed_calendar_from_holidays([2025, 2024], actor=system_admin)
        assert result.seeded_years == [2024, 2025]
        assert result.skipped_years == []
        assert result.days_added == {"holiday": 22, "compensatory_off": 2, "extra_working_day": 2}
        assert list(CalendarYear.objects.values_list("year", "package_version")) == [
            (2024, PACKAGE_VERSION),
            (2025, PACKAGE_VERSION),
        ]
        swap = CalendarDay.objects.get(date=D(2025, 4, 26))
        assert swap.kind == CalendarDayKind.EXTRA_WORKING_DAY
        assert swap.origin == CalendarDayOrigin.PACKAGE
        assert "6150/TB-LĐTBXH" in swap.source_document
        assert _audits() == [
            ("workdays.calendar_seeded", "2024", "official:1"),
            ("workdays.calendar_seeded", "2025", "official:1"),
        ]

    def test_is_idempotent_and_keeps_administrators_edits(self, system_admin: Actor) -> None:
        actions.do_seed_calendar_from_holidays(range(2025, 2027), actor=system_admin)
        removed = CalendarDay.objects.get(date=D(2026, 11, 24))
        actions.do_remove_calendar_day(removed, actor=system_admin, reason="Chưa có quyết định")
        rows, audits = CalendarDay.objects.count(), AuditEvent.objects.count()
        revision = CalendarRevision.objects.get().token
        result = actions.do_seed_calendar_from_holidays(range(2025, 2027), actor=system_admin)
        assert result.seeded_years == []
        assert result.skipped_years == [2025, 2026]
        assert CalendarDay.objects.count() == rows
        assert not CalendarDay.objects.filter(date=D(2026, 11, 24)).exists()
        assert AuditEvent.objects.count() == audits
        assert CalendarRevision.objects.get().token == revision

    def test_keeps_a_date_stored_before_the_year_was_seeded(self, system_admin: Actor) -> None:
        actions.do_add_calendar_day(
            D(2028, 1, 31),
            actor=system_admin,
            kind="holiday",
            name="Nghỉ thêm sau Tết",
            source_document="Thông báo 9/TB-BNV",
        )
        result = actions.do_seed_calendar_from_holidays([2028], actor=system_admin)
        kept = CalendarDay.objects.get(date=D(2028, 1, 31))
        assert (kept.source_document, kept.origin) == ("Thông báo 9/TB-BNV", "administrator")
        assert CalendarDay.objects.get(date=D(2028, 1, 3)).origin == CalendarDayOrigin.PACKAGE
        assert sum(result.days_added.values()) == 12

    @pytest.mark.parametrize("years", [[], [1999], [2100, 2101]])
    def test_years_outside_the_range_are_refused(
        self, system_admin: Actor, years: list[int]
    ) -> None:
        with pytest.raises(ApplicationError) as info:
            actions.do_seed_calendar_from_holidays(years, actor=system_admin)
        assert info.value.code == "calendar.invalid_years"
        _nothing_written()
        assert CalendarYear.objects.count() == 0

    def test_a_concurrent_seed_of_the_same_year_is_a_conflict_and_writes_nothing(
        self, system_admin: Actor, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real = actions.holiday_entries

        def another_session_seeds_first(first: int, last: int) -> object:
            CalendarYear.objects.create(year=2025, package_version="other")
            return real(first, last)

        monkeypatch.setattr(actions, "holiday_entries", another_session_seeds_first)
        with pytest.raises(ApplicationError) as info:
            actions.do_seed_calendar_from_holidays([2025], actor=system_admin)
        assert info.value.code == "calendar.seed_conflict"
        assert info.value.status == 409
        _nothing_written()

    def test_is_denied_to_an_agency_admin(self, agency_admin: Actor) -> None:
        with pytest.raises(ApplicationError) as info:
            actions.do_seed_calendar_from_holidays([2025], actor=agency_admin)
        assert info.value.code == "calendar.permission_denied"
        assert CalendarYear.objects.count() == 0


HOURS = {
    "morning_start": T(7),
    "morning_end": T(11),
    "afternoon_start": T(13),
    "afternoon_end": T(16, 30),
    "cutoff_time": T(14, 30),
}


class TestAgencySchedule:
    def test_the_agency_admin_sets_its_own_schedule(
        self, agency: Agency, agency_admin: Actor
    ) -> None:
        row = actions.do_set_agency_schedule(agency, actor=agency_admin, **HOURS)
        assert (row.morning_start, row.afternoon_end, row.cutoff_time) == (
            T(7),
            T(16, 30),
            T(14, 30),
        )
        assert row.due_time == DueTime.END_OF_OFFICE_HOURS
        event = AuditEvent.objects.get(aggregate_type="workdays.schedule")
        assert (event.action, event.aggregate_id) == ("workdays.schedule_set", str(agency.pk))
        assert event.data["before"] is None
        assert event.data["after"]["cutoff_time"] == "14:30:00"

    def test_changing_it_again_updates_the_row_and_audits_before(
        self, agency: Agency, system_admin: Actor
    ) -> None:
        actions.do_set_agency_schedule(agency, actor=system_admin, **HOURS)
        actions.do_set_agency_schedule(
            agency,
            actor=system_admin,
            **{**HOURS, "cutoff_time": T(16)},
            due_time="same_clock_time",
        )
        row = AgencySchedule.objects.get()
        assert (row.cutoff_time, row.due_time) == (T(16), "same_clock_time")
        last = AuditEvent.objects.filter(aggregate_type="workdays.schedule").order_by("id").last()
        assert last is not None
        assert last.data["before"]["cutoff_time"] == "14:30:00"

    def test_another_agencys_admin_is_denied(
        self, other_agency: Agency, agency_admin: Actor
    ) -> None:
        with pytest.raises(ApplicationError) as info:
            actions.do_set_agency_schedule(other_agency, actor=agency_admin, **HOURS)
        assert info.value.code == "schedule.permission_denied"
        assert AgencySchedule.objects.count() == 0
        assert AuditEvent.objects.count() == 0

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"morning_end": T(7)}, "morning_end"),
            ({"afternoon_start": T(10)}, "afternoon_start"),
            ({"afternoon_end": T(12)}, "afternoon_end"),
            ({"cutoff_time": T(18)}, "cutoff_time"),
        ],
    )
    def test_office_hours_out_of_order_are_refused_and_change_nothing(
        self, agency: Agency, agency_admin: Actor, changes: dict[str, dt.time], field: str
    ) -> None:
        with pytest.raises(InvalidInput) as info:
            actions.do_set_agency_schedule(agency, actor=agency_admin, **{**HOURS, **changes})
        assert info.value.code == "schedule.invalid_office_hours"
        assert field in info.value.field_errors
        assert AgencySchedule.objects.count() == 0
        assert AuditEvent.objects.count() == 0

    def test_an_unknown_due_time_is_refused(self, agency: Agency, agency_admin: Actor) -> None:
        with pytest.raises(InvalidInput) as info:
            actions.do_set_agency_schedule(agency, actor=agency_admin, **HOURS, due_time="noon")
        assert "due_time" in info.value.field_errors
        assert AgencySchedule.objects.count() == 0

    def test_reset_returns_to_the_default(self, agency: Agency, agency_admin: Actor) -> None:
        actions.do_set_agency_schedule(agency, actor=agency_admin, **HOURS)
        actions.do_reset_agency_schedule(agency, actor=agency_admin)
        assert AgencySchedule.objects.count() == 0
        assert [a for a, _id, _who in _audits("workdays.schedule")] == [
            "workdays.schedule_set",
            "workdays.schedule_reset",
        ]
