"""Vietnamese text for printed documents: administrative dates, masked names and numbers.

Dates follow Decree 30/2020/NĐ-CP (Annex I): "ngày 05 tháng 3 năm 2026" — a zero is
added to days below 10 and to months 1 and 2 only. Every datetime is printed in
Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import datetime as dt

from motcua.kernel import clock
from motcua.kernel.text import mask_id

__all__ = [
    "format_date",
    "format_date_line",
    "format_time_date",
    "mask_id_number",
    "mask_person_name",
]


def _local(value: dt.datetime | dt.date) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime):
        return clock.local(value) if value.tzinfo else value
    return value


def _day_month(day: dt.date) -> tuple[str, str]:
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}", month


def format_date_line(value: dt.datetime | dt.date | None) -> str:
    """Return "ngày 05 tháng 3 năm 2026" (dotted blanks when ``value`` is ``None``)."""
    if value is None:
        return "ngày …… tháng …… năm ……"
    local = _local(value)
    day, month = _day_month(local)
    return f"ngày {day} tháng {month} năm {local.year}"


def format_date(value: dt.datetime | dt.date | None) -> str:
    """Return "05/3/2026" (Decree 30 padding), or "" for ``None``."""
    if value is None:
        return ""
    local = _local(value)
    day, month = _day_month(local)
    return f"{day}/{month}/{local.year}"


def format_time_date(value: dt.datetime | None) -> str:
    """Return "14 giờ 30 phút, ngày 05/3/2026", or "" for ``None``."""
    if value is None:
        return ""
    local = clock.local(value) if value.tzinfo else value
    return f"{local.hour:02d} giờ {local.minute:02d} phút, ngày {format_date(local)}"


def mask_person_name(name: str) -> str:
    """Mask a name for public pages: "Nguyễn Văn An" → "Nguyễn V*** A***".

    The first word (the family name) stays; every other word keeps its first letter;
    one-letter words ("Nguyễn Văn A" → "Nguyễn V*** A") stay as they are.
    """
    words = name.split()
    if not words:
        return ""
    masked = [words[0]]
    masked.extend(word if len(word) == 1 else word[0] + "***" for word in words[1:])
    return " ".join(masked)


def mask_id_number(value: str) -> str:
    """Mask an identification number: "038095001234" → "038******234"."""
    return mask_id(value.strip())
