"""What a batch of procedures refers to: agencies, provinces, files, fields, decisions.

Private to ``catalog.actions``. Each lookup loads a whole batch in one or a few
queries; ``ensure_*`` create the missing reference rows inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from motcua.agencies.models import AdminUnit, AdminUnitLevel, AdminUnitScheme, Agency
from motcua.catalog.models import AnnouncementDecision, Field
from motcua.catalog.schemas import AnnouncementData, ProcedureData
from motcua.catalog.validation import Issue, References


def announcements_of(datas: Iterable[ProcedureData]) -> list[AnnouncementData]:
    return [d.announcement for d in datas if d.announcement is not None]


def load_references(datas: Iterable[ProcedureData]) -> References:
    """Load the agencies, provinces and stored files ``datas`` name (three lookups)."""
    agency_codes: set[str] = set()
    province_codes: set[str] = set()
    files: set[str] = set()
    for data in datas:
        agency_codes.update(data.implementing_agency_codes, data.applying_agency_codes)
        agency_codes.update(s.agency_code for s in data.steps if s.agency_code)
        province_codes.update(b.province_code for b in data.boundary_free)
        files.update(f.file for f in data.forms if f.file)
    refs = References()
    for chunk in _chunks(sorted(agency_codes), 2000):
        for pk, code, name in Agency.objects.filter(code__in=chunk).values_list(
            "pk", "code", "name"
        ):
            refs.agency_ids[code] = pk
            refs.agency_names[code] = name
    if province_codes:
        refs.province_ids = dict(
            AdminUnit.objects.filter(
                scheme=AdminUnitScheme.CURRENT,
                level=AdminUnitLevel.PROVINCE,
                code__in=province_codes,
            ).values_list("code", "pk")
        )
    refs.stored_files = {name for name in files if default_storage.exists(name)}
    return refs


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def ensure_fields(datas: Iterable[ProcedureData]) -> dict[str, Field]:
    """Return the fields ``datas`` name by code, creating the missing ones.

    An existing field keeps its name: the names in a file label new fields only.
    """
    wanted: dict[str, str] = {}
    for data in datas:
        wanted.setdefault(data.field_code, data.field_name)
    fields = {f.code: f for f in Field.objects.filter(code__in=wanted)}
    missing = [Field(code=code, name=name) for code, name in wanted.items() if code not in fields]
    if missing:
        Field.objects.bulk_create(missing, ignore_conflicts=True)
        fields = {f.code: f for f in Field.objects.filter(code__in=wanted)}
    return fields


def _recorded(
    keys: Iterable[tuple[str, dt.date]],
) -> dict[tuple[str, dt.date], AnnouncementDecision]:
    """Return the recorded decisions among ``keys`` (number, decision date)."""
    wanted = set(keys)
    numbers = sorted({number for number, _day in wanted})
    found: dict[tuple[str, dt.date], AnnouncementDecision] = {}
    for chunk in _chunks(numbers, 2000):
        # One indexed lookup by number; the dates are matched here (a big OR is slow to build).
        for decision in AnnouncementDecision.objects.filter(number__in=chunk):
            key = (decision.number, decision.decided_on)
            if key in wanted:
                found[key] = decision
    return found


def announcement_conflicts(
    announcements: Iterable[AnnouncementData],
) -> dict[tuple[str, dt.date], AnnouncementDecision]:
    """Return, by (number, date), the recorded decisions that ``announcements`` contradict."""
    wanted = {(a.number, a.decided_on): a for a in announcements}
    if not wanted:
        return {}
    return {
        key: recorded
        for key, recorded in _recorded(wanted).items()
        if recorded.effective_on != wanted[key].effective_on
    }


def announcement_issue(
    announcement: AnnouncementData | None,
    conflicts: dict[tuple[str, dt.date], AnnouncementDecision],
    path: tuple[str | int, ...] = ("announcement", "effective_on"),
) -> list[Issue]:
    """Return the issue of ``announcement`` if it contradicts a recorded decision."""
    if announcement is None:
        return []
    recorded = conflicts.get((announcement.number, announcement.decided_on))
    if recorded is None:
        return []
    return [
        Issue(
            path,
            _("Quyết định %(number)s đã được ghi với ngày hiệu lực %(date)s.")
            % {"number": recorded.number, "date": f"{recorded.effective_on:%d/%m/%Y}"},
        )
    ]


def ensure_announcements(
    announcements: Iterable[AnnouncementData],
) -> dict[tuple[str, dt.date], AnnouncementDecision]:
    """Return the decisions named by ``announcements``, recording the missing ones."""
    wanted: dict[tuple[str, dt.date], AnnouncementData] = {}
    for ann in announcements:
        wanted.setdefault((ann.number, ann.decided_on), ann)
    if not wanted:
        return {}

    found = _recorded(wanted)
    missing = [
        AnnouncementDecision(
            number=a.number, issuer=a.issuer, decided_on=a.decided_on, effective_on=a.effective_on
        )
        for key, a in wanted.items()
        if key not in found
    ]
    if missing:
        AnnouncementDecision.objects.bulk_create(missing, ignore_conflicts=True)
        found = _recorded(wanted)
    return found
