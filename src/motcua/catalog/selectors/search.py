"""Search of the versions in force: folded words, filters, stable pages."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog.enums import ImplementationLevel, OnlineLevel, SubjectType
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors.versions import versions_in_force
from motcua.kernel.errors import InvalidInput
from motcua.kernel.text import fold

__all__ = ["MAX_PAGE_SIZE", "SearchResult", "search_procedures"]

MAX_PAGE_SIZE = 100
ImplementingAgency = ProcedureVersion.implementing_agencies.through
ApplyingAgency = ProcedureVersion.applying_agencies.through


@dataclass
class SearchResult:
    """One page of search results and the total number of matches."""

    items: list[ProcedureVersion]
    total: int
    page: int
    page_size: int

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _check_choice(name: str, value: str, choices: type) -> None:
    if value not in choices.values:  # type: ignore[attr-defined]
        raise InvalidInput(
            code="catalog.invalid_filter",
            field_errors={name: [_("Giá trị “%(value)s” không hợp lệ.") % {"value": value}]},
        )


def search_procedures(
    *,
    q: str | None = None,
    field: str | None = None,
    agency: str | None = None,
    level: str | None = None,
    online_level: str | None = None,
    subject: str | None = None,
    page: int = 1,
    page_size: int = 20,
    at: dt.datetime | None = None,
) -> SearchResult:
    """Return the versions in force matching every given filter, ordered by code.

    ``q`` matches words of the code, name, field and agency names, with or without
    diacritics ("dang ky khai sinh" finds "Đăng ký khai sinh"); ``field`` is a field
    code, ``agency`` an agency code (implementing or applying), ``level``,
    ``online_level`` and ``subject`` enum values. Items come with their field,
    implementing agencies and cases: four queries at most (the page, two prefetches, the
    count unless the first page is not full).
    Raise ``InvalidInput`` for an unknown enum value or a page out of range.
    """
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(
            code="catalog.invalid_page",
            field_errors={"page": [_("Trang phải từ 1; mỗi trang từ 1 đến 100 kết quả.")]},
        )
    versions = versions_in_force(at)
    for token in fold(q or "").split():
        # Both sides are folded to lower case: ``contains`` is exact and, unlike
        # ``icontains`` (UPPER() on every row), matches the trigram index.
        versions = versions.filter(search_text__contains=token)
    if field:
        versions = versions.filter(field__code=field)
    if agency:
        code = agency.strip().upper()
        versions = versions.filter(
            Exists(
                ImplementingAgency.objects.filter(
                    procedureversion_id=OuterRef("pk"), agency__code=code
                )
            )
            | Exists(
                ApplyingAgency.objects.filter(procedureversion_id=OuterRef("pk"), agency__code=code)
            )
        )
    # levels and subjects are JSON lists of enum values: the quotes make the match exact.
    if level:
        _check_choice("level", level, ImplementationLevel)
        versions = versions.filter(levels__icontains=f'"{level}"')
    if subject:
        _check_choice("subject", subject, SubjectType)
        versions = versions.filter(subjects__icontains=f'"{subject}"')
    if online_level:
        _check_choice("online_level", online_level, OnlineLevel)
        versions = versions.filter(online_level=online_level)
    start = (page - 1) * page_size
    items = list(
        versions.defer("content", "search_text")  # kilobytes per row a result list never shows
        .select_related("field", "procedure")  # the procedure's revision keys cached rows
        .prefetch_related(
            Prefetch("implementing_agencies", queryset=Agency.objects.only("pk", "code", "name")),
            "cases",
        )
        .order_by("code", "number")[start : start + page_size]
    )
    # The total is a separate COUNT: on PostgreSQL an index-only scan of the narrow
    # covering index (migration 0005), where a window count over the page query would
    # carry every match's wide row. A first page that is not full needs no count.
    total = len(items) if page == 1 and len(items) < page_size else versions.count()
    return SearchResult(items=items, total=total, page=page, page_size=page_size)
