"""The demo loader: 2020–2030 seeded, idempotent, one line for the operator."""

from __future__ import annotations

import pytest

from motcua.audit.models import AuditEvent
from motcua.workdays.demo import load_demo
from motcua.workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def test_load_demo_seeds_2020_to_2030_once() -> None:
    lines = load_demo()
    assert lines == ["Lịch làm việc: 2020–2030 (128 ngày nghỉ, 3 ngày làm bù)"]
    assert list(CalendarYear.objects.values_list("year", flat=True)) == list(range(2020, 2031))
    rows, audits = CalendarDay.objects.count(), AuditEvent.objects.count()
    assert load_demo() == lines
    assert (CalendarDay.objects.count(), AuditEvent.objects.count()) == (rows, audits)
