"""``motcua calendar show 2026`` prints a year month by month; ``calendar seed`` seeds years.

``show`` marks each day off on a weekday and each worked weekend day with a letter
and lists them under the month with their names; ``seed --from 2020 --to 2030``
seeds the years not seeded yet from the ``holidays`` package (idempotent).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.kernel.actors import Actor
from motcua.kernel.errors import ApplicationError
from motcua.workdays import selectors
from motcua.workdays.actions import do_seed_calendar_from_holidays
from motcua.workdays.choices import CalendarDayKind
from motcua.workdays.overview import DayCell, MonthOverview, build_year_overview
from motcua.workdays.seed import PACKAGE_SOURCE

MARKS = {
    CalendarDayKind.HOLIDAY: "L",
    CalendarDayKind.COMPENSATORY_OFF: "B",
    CalendarDayKind.EXTRA_WORKING_DAY: "+",
}


def _cell(cell: DayCell | None) -> str:
    if cell is None:
        return "    "
    if cell.entry is not None:
        mark = MARKS[cell.entry.kind]
    elif not cell.is_working_day:
        mark = "·"
    else:
        mark = " "
    return f"{cell.date.day:>3}{mark}"


def render_month(month: MonthOverview) -> list[str]:
    """Return the lines of one month: title, weekday header, weeks, named days."""
    title = _("Tháng %(month)s/%(year)s — %(count)s ngày làm việc") % {
        "month": month.month,
        "year": month.year,
        "count": month.working_days,
    }
    header = "".join(
        f"{name:>3} " for name in (_("T2"), _("T3"), _("T4"), _("T5"), _("T6"), _("T7"), _("CN"))
    )
    lines = [title, header.rstrip()]
    lines.extend("".join(_cell(cell) for cell in week).rstrip() for week in month.weeks)
    for entry in month.entries:
        # The package's own source is said once in the header, not on every line.
        source = "" if entry.source_document == PACKAGE_SOURCE else f" [{entry.source_document}]"
        lines.append(f"  {entry.date:%d/%m} {MARKS[entry.kind]} {entry.name}{source}")
    return lines


class Command(BaseCommand):
    help = "Working-day calendar: 'show YEAR' prints a year; 'seed --from Y --to Y' seeds years."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        show = sub.add_parser("show", help="Print a year month by month with a legend.")
        show.add_argument("year", type=int)
        seed = sub.add_parser("seed", help="Seed years from the holidays package (idempotent).")
        seed.add_argument("--from", dest="first", type=int, required=True)
        seed.add_argument("--to", dest="last", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "show":
                self._show(options["year"])
            else:
                self._seed(options["first"], options["last"])
        except ApplicationError as error:
            raise CommandError(error.message) from error

    def _show(self, year: int) -> None:
        overview = build_year_overview(selectors.get_calendar(), year)
        source = (
            _("do quản trị hệ thống quản lý")
            if selectors.is_year_seeded(year)
            else _("tạm tính theo thư viện holidays")
        )
        self.stdout.write(
            _("Lịch làm việc năm %(year)s (%(source)s): %(count)s ngày làm việc")
            % {"year": year, "source": source, "count": overview.working_days}
        )
        self.stdout.write(
            _(
                "Chú giải: L = nghỉ lễ, tết; B = nghỉ bù; + = làm bù (thứ Bảy, Chủ nhật làm việc); · = nghỉ cuối tuần"
            )
        )
        self.stdout.write(_("Nguồn, khi không ghi khác: %(source)s") % {"source": PACKAGE_SOURCE})
        for month in overview.months:
            self.stdout.write("")
            self.stdout.write("\n".join(render_month(month)))

    def _seed(self, first: int, last: int) -> None:
        if last < first:
            raise CommandError(_("Năm kết thúc phải không nhỏ hơn năm bắt đầu."))
        result = do_seed_calendar_from_holidays(range(first, last + 1), actor=Actor.system("cli"))
        self.stdout.write(
            _("Đã nạp %(seeded)s năm (%(days)s ngày); bỏ qua %(skipped)s năm đã có.")
            % {
                "seeded": len(result.seeded_years),
                "days": sum(result.days_added.values()),
                "skipped": len(result.skipped_years),
            }
        )
