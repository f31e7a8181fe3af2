"""Template filters for printed documents (forms and results); see ``documents.text``."""

from __future__ import annotations

import datetime as dt

from django import template

from motcua.documents import text

register = template.Library()


@register.filter
def date_line(value: dt.datetime | dt.date | None) -> str:
    return text.format_date_line(value)


@register.filter
def vn_date(value: dt.datetime | dt.date | None) -> str:
    return text.format_date(value)


@register.filter
def time_date(value: dt.datetime | None) -> str:
    return text.format_time_date(value)


@register.filter
def masked_name(value: str) -> str:
    return text.mask_person_name(value or "")


@register.filter
def two_digits(value: int | None) -> str:
    return f"{value or 0:02d}"
