"""Calendar entries derived from the ``holidays`` package (``holidays.VN``), no database.

The package lists days *off* only: statutory holidays, days off in lieu of holidays
that fall on a weekend (labelled "… (nghỉ bù)"), and the weekdays given off in
exchange for a working Saturday (labelled "Ngày nghỉ (thay cho ngày dd/mm/yyyy)").
The working Saturday itself appears only in that label, so it is parsed back out and
becomes an ``EXTRA_WORKING_DAY`` here (one-stop rules §5.5, "Known gap").

Days off that fall on a Saturday or Sunday are left out: they change no deadline, and
the weekday that compensates for them is listed by the package on its own. The three
swaps of 2024–2026 carry the document that decided them (``KNOWN_SWAPS``); every other
entry names the package and its version as its source, to be corrected by an
administrator when the Prime Minister's decision for a year differs.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import holidays

from motcua.workdays.choices import CalendarDayKind
from motcua.workdays.values import CalendarEntry

__all__ = ["KNOWN_SWAPS", "PACKAGE_SOURCE", "PACKAGE_VERSION", "holiday_entries"]

PACKAGE_VERSION: str = holidays.__version__
PACKAGE_SOURCE = (
    f"Thư viện holidays {PACKAGE_VERSION} (holidays.VN), theo Bộ luật Lao động 2019 Điều 111, 112"
)
_SWAP_LABEL = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")
_SWAP_NAME = "Ngày làm bù (thay cho ngày nghỉ %s)"

# Working Saturday -> (weekday off in exchange, the document that decided the swap).
KNOWN_SWAPS: dict[dt.date, tuple[dt.date, str]] = {
    dt.date(2024, 5, 4): (
        dt.date(2024, 4, 29),
        "Công văn 2450/VPCP-KGVX ngày 12/4/2024 của Văn phòng Chính phủ: Thủ tướng Chính phủ "
        "đồng ý hoán đổi ngày làm việc dịp Ngày Chiến thắng 30/4 và Quốc tế Lao động 01/5/2024",
    ),
    dt.date(2025, 4, 26): (
        dt.date(2025, 5, 2),
        "Thông báo 6150/TB-LĐTBXH năm 2024 của Bộ Lao động – Thương binh và Xã hội về lịch "
        "nghỉ lễ, tết năm 2025 của cán bộ, công chức, viên chức (hoán đổi thứ Sáu 02/5/2025 "
        "với thứ Bảy 26/4/2025)",
    ),
    dt.date(2026, 8, 22): (
        dt.date(2026, 8, 31),
        "Lịch nghỉ lễ Quốc khánh 02/9/2026 của cán bộ, công chức, viên chức do Thủ tướng "
        "Chính phủ quyết định (hoán đổi thứ Hai 31/8/2026 với thứ Bảy 22/8/2026; số hiệu "
        "văn bản cần quản trị viên bổ sung)",
    ),
}
_SWAP_SOURCES = {off: source for _saturday, (off, source) in KNOWN_SWAPS.items()} | {
    saturday: source for saturday, (_off, source) in KNOWN_SWAPS.items()
}


def _kind_of(name: str) -> CalendarDayKind:
    if "(nghỉ bù" in name or _SWAP_LABEL.search(name):
        return CalendarDayKind.COMPENSATORY_OFF
    return CalendarDayKind.HOLIDAY


@lru_cache(maxsize=8)
def holiday_entries(first_year: int, last_year: int) -> tuple[CalendarEntry, ...]:
    """Return the overrides of years ``first_year..last_year`` derived from ``holidays.VN``.

    Sorted by date; weekdays off are ``HOLIDAY`` or ``COMPENSATORY_OFF``, swapped
    working Saturdays ``EXTRA_WORKING_DAY``. Cached: the package is slow (about 10 ms a
    year) and its answer never changes within a process.
    """
    # One year either side: a swap can cross New Year (31/12/2018 off for 05/01/2019).
    package = holidays.VN(years=range(first_year - 1, last_year + 2), language="vi")
    entries: dict[dt.date, CalendarEntry] = {}
    for day, names in sorted(package.items()):
        for name in names.split("; "):
            match = _SWAP_LABEL.search(name)
            if match:
                worked = dt.date(int(match[3]), int(match[2]), int(match[1]))
                if first_year <= worked.year <= last_year and worked.weekday() >= 5:
                    entries[worked] = CalendarEntry(
                        date=worked,
                        kind=CalendarDayKind.EXTRA_WORKING_DAY,
                        name=_SWAP_NAME % day.strftime("%d/%m/%Y"),
                        source_document=_SWAP_SOURCES.get(worked, PACKAGE_SOURCE),
                    )
            if first_year <= day.year <= last_year and day.weekday() < 5 and day not in entries:
                entries[day] = CalendarEntry(
                    date=day,
                    kind=_kind_of(name),
                    name=name,
                    source_document=_SWAP_SOURCES.get(day, PACKAGE_SOURCE),
                )
    return tuple(entries[day] for day in sorted(entries))
