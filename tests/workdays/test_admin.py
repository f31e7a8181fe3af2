"""The Django admin writes the calendar and office hours through the actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from motcua.agencies.models import Agency
from motcua.audit.models import AuditEvent
from motcua.workdays.models import AgencySchedule, CalendarDay

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.workdays.urls")]
ADD = "/admin/workdays/calendarday/add/"


@pytest.fixture
def superuser() -> User:
    return User.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")


@pytest.fixture
def admin_client(client: Client, superuser: User) -> Client:
    client.force_login(superuser)
    return client


def _day_form(**changes: str) -> dict[str, str]:
    return {
        "date": "2027-05-04",
        "kind": "holiday",
        "name": "Nghỉ thêm dịp 30/4 – 1/5",
        "source_document": "Thông báo 1/TB-BNV ngày 01/3/2027",
        **changes,
    }


def test_adding_a_day_goes_through_the_action(admin_client: Client, superuser: User) -> None:
    response = admin_client.post(ADD, _day_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    day = CalendarDay.objects.get()
    assert (day.date, day.kind, day.created_by) == (
        dt.date(2027, 5, 4),
        "holiday",
        f"official:{superuser.pk}",
    )
    event = AuditEvent.objects.get(aggregate_type="workdays.calendar")
    assert (event.action, event.actor_ref, event.actor_name) == (
        "workdays.calendar_day_added",
        f"official:{superuser.pk}",
        "quantri",
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "extra_working_day"}, "Không phải thứ Bảy, Chủ nhật."),
        ({"date": "2027-05-08"}, "Ngày này đã là ngày nghỉ."),
        ({"source_document": " "}, "Trường này là bắt buộc."),
    ],
)
def test_invalid_days_come_back_as_form_errors_and_change_nothing(
    admin_client: Client, changes: dict[str, str], message: str
) -> None:
    response = admin_client.post(ADD, _day_form(**changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in str(errors)
    assert CalendarDay.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_staff_member_without_the_role_gets_a_form_error(client: Client) -> None:
    staff = User.objects.create_user("canbo", password="mat-khau-dai-123", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_calendarday", "view_calendarday"])
    )
    client.force_login(staff)
    response = client.post(ADD, _day_form())
    assert response.status_code == 200
    assert "Chỉ quản trị hệ thống mới được thay đổi lịch làm việc quốc gia." in str(
        response.context["adminform"].form.errors
    )
    assert CalendarDay.objects.count() == 0


def test_changing_and_deleting_go_through_the_actions(admin_client: Client) -> None:
    admin_client.post(ADD, _day_form())
    day = CalendarDay.objects.get()
    response = admin_client.post(
        f"/admin/workdays/calendarday/{day.pk}/change/",
        {"name": "Nghỉ lễ", "source_document": "Thông báo 2/TB-BNV"},
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.date, day.name) == (dt.date(2027, 5, 4), "Nghỉ lễ")
    response = admin_client.post(f"/admin/workdays/calendarday/{day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert CalendarDay.objects.count() == 0
    assert list(
        AuditEvent.objects.filter(aggregate_type="workdays.calendar")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "workdays.calendar_day_added",
        "workdays.calendar_day_updated",
        "workdays.calendar_day_removed",
    ]
    assert AuditEvent.objects.order_by("id").last().data["reason"] == "Xóa trên trang quản trị"  # type: ignore[union-attr]


def _schedule_form(agency: Agency, **changes: str) -> dict[str, str]:
    return {
        "agency": str(agency.pk),
        "morning_start": "07:00",
        "morning_end": "11:00",
        "afternoon_start": "13:00",
        "afternoon_end": "16:30",
        "cutoff_time": "15:00",
        "due_time": "end_of_office_hours",
        **changes,
    }


def test_agency_schedule_is_set_through_the_action(admin_client: Client, agency: Agency) -> None:
    response = admin_client.post("/admin/workdays/agencyschedule/add/", _schedule_form(agency))
    assert response.status_code == 302, response.content.decode()[:2000]
    row = AgencySchedule.objects.get()
    assert (row.agency, row.afternoon_end) == (agency, dt.time(16, 30))
    assert (
        AuditEvent.objects.get(aggregate_type="workdays.schedule").action == "workdays.schedule_set"
    )


def test_agency_schedule_out_of_order_is_a_form_error(admin_client: Client, agency: Agency) -> None:
    response = admin_client.post(
        "/admin/workdays/agencyschedule/add/", _schedule_form(agency, morning_end="06:00")
    )
    assert response.status_code == 200
    assert "morning_end" in response.context["adminform"].form.errors
    assert AgencySchedule.objects.count() == 0
    assert AuditEvent.objects.count() == 0
