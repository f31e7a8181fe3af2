"""Demo data of the working-day calendar: the years 2020–2030 seeded from ``holidays``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.kernel.actors import Actor
from motcua.workdays.actions import do_seed_calendar_from_holidays
from motcua.workdays.choices import DAY_OFF_KINDS, CalendarDayKind
from motcua.workdays.models import CalendarDay

__all__ = ["DEMO_YEARS", "load_demo"]

DEMO_YEARS = range(2020, 2031)


def load_demo() -> list[str]:
    """Seed 2020–2030 (idempotent: seeded years are left as they are); return one line."""
    do_seed_calendar_from_holidays(DEMO_YEARS, actor=Actor.system("demo"))
    days = CalendarDay.objects.filter(date__year__gte=DEMO_YEARS[0], date__year__lte=DEMO_YEARS[-1])
    return [
        _("Lịch làm việc: %(first)s–%(last)s (%(off)s ngày nghỉ, %(extra)s ngày làm bù)")
        % {
            "first": DEMO_YEARS[0],
            "last": DEMO_YEARS[-1],
            "off": days.filter(kind__in=DAY_OFF_KINDS).count(),
            "extra": days.filter(kind=CalendarDayKind.EXTRA_WORKING_DAY).count(),
        }
    ]
