"""What the procedure catalogue contributes to the index: group 1.1–1.3 and the catalogue
denominators of groups 3–5 (§11.4), per unit, evaluated at a period's end.

A procedure is within a unit's competence when one of the implementing agencies of its
version in force resolves to that unit (or to a unit below it). Everything is computed
from the versions' validity windows, so a period that has ended gives the same figures
whenever it is recomputed.

* 1.1 announced on time: the procedures whose announcement decision is dated in the
  period; on time when the decision is at least ``SCOREBOARD_ANNOUNCEMENT_WORKING_DAYS``
  (default 5, the province rule; 20 for a ministry) working days before the latest
  effective date of the version's legal basis; late once in the period ⇒ late for the
  period. A version whose legal basis has no effective date cannot be judged: left out.
* 1.2 published on time: the same procedures; on time when published within
  ``SCOREBOARD_PUBLICATION_WORKING_DAYS`` (default 5; 10 for a ministry) working days of
  the decision; one not yet published counts once its deadline has passed.
* 1.3 complete content: versions in force with every part a–g of Decree 63/2010 (§3).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max

from motcua import workdays
from motcua.catalog.enums import OnlineLevel, SubjectType
from motcua.catalog.models import (
    IN_FORCE_STATES,
    FeeItem,
    LegalBasis,
    ProcedureCase,
    ProcedureDocument,
    ProcedureVersion,
)
from motcua.kernel.clock import VN_TZ
from motcua.scoreboard.models import CATALOG_FIELDS
from motcua.scoreboard.periods import Period

__all__ = ["CatalogVersion", "compute_catalog_figures", "load_catalog"]

PERSON_SUBJECTS = frozenset(
    {SubjectType.CITIZEN, SubjectType.OVERSEAS_VIETNAMESE, SubjectType.FOREIGNER}
)


@dataclass
class CatalogVersion:
    code: str
    state: str
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None
    online_level: str
    is_full_online_eligible: bool
    has_fees: bool
    has_person_subjects: bool
    is_complete: bool
    decided_on: dt.date | None
    published_at: dt.datetime | None
    legal_effective_on: dt.date | None
    agency_ids: list[int] = field(default_factory=list)

    def is_in_force_at(self, moment: dt.datetime) -> bool:
        return (
            self.state in IN_FORCE_STATES
            and self.valid_from is not None
            and self.valid_from <= moment
            and (self.valid_to is None or moment < self.valid_to)
        )


def load_catalog() -> list[CatalogVersion]:
    """Read every non-draft version with what the indicators need (a handful of queries)."""
    versions = list(
        ProcedureVersion.objects.exclude(state="draft")
        .select_related("announcement")
        .only(
            "pk", "code", "state", "valid_from", "valid_to", "online_level",
            "is_full_online_eligible", "is_free", "subjects", "name", "sequence",
            "submission_methods", "implementing_agency_names", "published_at",
            "announcement__decided_on",
        )
    )  # fmt: skip
    ids = [v.pk for v in versions]
    agencies: dict[int, list[int]] = defaultdict(list)
    through = ProcedureVersion.implementing_agencies.through
    for version_id, agency_id in through.objects.filter(procedureversion_id__in=ids).values_list(
        "procedureversion_id", "agency_id"
    ):
        agencies[version_id].append(agency_id)
    fees = set(
        FeeItem.objects.filter(version_id__in=ids, amount__gt=0).values_list(
            "version_id", flat=True
        )
    )
    documents = set(
        ProcedureDocument.objects.filter(version_id__in=ids).values_list("version_id", flat=True)
    )
    cases = set(
        ProcedureCase.objects.filter(version_id__in=ids).values_list("version_id", flat=True)
    )
    legal = dict(
        LegalBasis.objects.filter(version_id__in=ids)
        .values("version_id")
        .annotate(latest=Max("effective_on"))
        .values_list("version_id", "latest")
    )
    out = []
    for v in versions:
        has_agency = bool(agencies.get(v.pk)) or bool(v.implementing_agency_names)
        out.append(
            CatalogVersion(
                code=v.code,
                state=v.state,
                valid_from=v.valid_from,
                valid_to=v.valid_to,
                online_level=v.online_level,
                is_full_online_eligible=v.is_full_online_eligible,
                has_fees=not v.is_free and v.pk in fees,
                has_person_subjects=bool(PERSON_SUBJECTS.intersection(v.subjects or [])),
                is_complete=bool(
                    v.name.strip()
                    and v.sequence.strip()
                    and v.submission_methods
                    and v.pk in documents
                    and v.pk in cases
                    and v.subjects
                    and has_agency
                ),
                decided_on=v.announcement.decided_on if v.announcement else None,
                published_at=v.published_at,
                legal_effective_on=legal.get(v.pk),
                agency_ids=agencies.get(v.pk, []),
            )
        )
    return out


def _offset(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def compute_catalog_figures(
    periods: Iterable[Period],
    *,
    now: dt.datetime,
    versions: list[CatalogVersion],
    resolve_units: Callable[[int], tuple[int, int | None] | None],
) -> dict[tuple[str, int], dict[str, int]]:
    """Return ``{(period key, unit id): {catalog field: count}}`` for every unit concerned."""
    announce_days = _offset("SCOREBOARD_ANNOUNCEMENT_WORKING_DAYS", 5)
    publish_days = _offset("SCOREBOARD_PUBLICATION_WORKING_DAYS", 5)
    units_of_version: list[set[int]] = []
    for version in versions:
        units: set[int] = set()
        for agency_id in version.agency_ids:
            resolved = resolve_units(agency_id)
            if resolved is not None:
                units.add(resolved[0])
                if resolved[1] is not None:
                    units.add(resolved[1])
        units_of_version.append(units)
    out: dict[tuple[str, int], dict[str, int]] = {}
    for period in periods:
        if not period.has_started(now):
            continue
        at = period.evaluated_at(now)
        first, last = period.start.date(), period.last_moment.astimezone(VN_TZ).date()
        today = at.astimezone(VN_TZ).date()
        in_force: dict[int, dict[str, CatalogVersion]] = defaultdict(dict)
        # procedure code -> on time? per unit (late once ⇒ late for the period)
        announced: dict[int, dict[str, bool]] = defaultdict(dict)
        published: dict[int, dict[str, bool]] = defaultdict(dict)
        for version, units in zip(versions, units_of_version, strict=True):
            if not units:
                continue
            if version.is_in_force_at(at):
                for unit in units:
                    in_force[unit][version.code] = version
            decided = version.decided_on
            if decided is None or not first <= decided <= last:
                continue
            if version.legal_effective_on is not None:
                latest = workdays.add_working_days(version.legal_effective_on, -announce_days)
                on_time = decided <= latest
                for unit in units:
                    announced[unit][version.code] = (
                        announced[unit].get(version.code, True) and on_time
                    )
            deadline = workdays.add_working_days(decided, publish_days)
            published_on = (
                version.published_at.astimezone(VN_TZ).date()
                if version.published_at is not None and version.published_at <= at
                else None
            )
            if published_on is None and deadline >= today:
                continue  # not yet due
            on_time = published_on is not None and published_on <= deadline
            for unit in units:
                published[unit][version.code] = published[unit].get(version.code, True) and on_time
        for unit in set(in_force) | set(announced) | set(published):
            current = list(in_force.get(unit, {}).values())
            figures = dict.fromkeys(CATALOG_FIELDS, 0)
            figures["procedures"] = len(current)
            for v in current:
                online = v.online_level in (OnlineLevel.PARTIAL, OnlineLevel.FULL)
                figures["online_procedures"] += online
                figures["full_online_eligible_procedures"] += v.is_full_online_eligible
                figures["full_online_procedures"] += (
                    v.is_full_online_eligible and v.online_level == OnlineLevel.FULL
                )
                figures["fee_procedures"] += v.has_fees
                figures["person_procedures"] += v.has_person_subjects
                figures["content_checked"] += 1
                figures["content_full"] += v.is_complete
            figures["announced"] = len(announced.get(unit, {}))
            figures["announced_on_time"] = sum(announced.get(unit, {}).values())
            figures["publication_due"] = len(published.get(unit, {}))
            figures["published_on_time"] = sum(published.get(unit, {}).values())
            out[(period.key, unit)] = figures
    return out
