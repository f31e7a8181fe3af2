"""The parts of a published procedure version — cases, documents, fees, steps — kept in
each process's memory.

Why: every dossier reads its version's parts when it is registered (the case, the
documents it must hold, the competent agency from the steps) and again when it is
received (the fee lines, the route through the agencies). Those five queries were an
eighth of the statements of a dossier's whole life (issue 4, ``bench/dossiers_bench.py``).

Why it is right: the parts of a version are frozen once it is published
(``models.parts``; the admin and the import edit drafts only), so a published version's
parts read once stay true. Drafts are never kept. What can change is the agencies the
steps name (a rename, a desk that stops being a one-stop desk): an entry lives
``CATALOG_PARTS_CACHE_SECONDS`` (default 60, 0 = never kept), so such an edit reaches a
new dossier's route within that time. Entries are shared: callers must not modify them.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings

from motcua.catalog.enums import PublicationState
from motcua.catalog.models import (
    FeeItem,
    ProcedureCase,
    ProcedureDocument,
    ProcedureVersion,
    ProcessStep,
)

__all__ = ["VersionParts", "clear_parts_cache", "get_version_parts"]

_MAX_VERSIONS = 2048


@dataclass(frozen=True, slots=True)
class VersionParts:
    """One version's parts, each kind in its published order (position, id)."""

    cases: tuple[ProcedureCase, ...]
    documents: tuple[ProcedureDocument, ...]
    fees: tuple[FeeItem, ...]
    steps: tuple[ProcessStep, ...]  # with their agency and its administrative unit

    def documents_of(self, case: ProcedureCase) -> list[ProcedureDocument]:
        """The documents ``case`` requires: the version's own and the case's."""
        return [d for d in self.documents if d.case_id is None or d.case_id == case.pk]

    def fees_of(self, case: ProcedureCase | None) -> list[FeeItem]:
        """The fees of ``case``: the version's own and the case's (no case: the version's)."""
        case_id = case.pk if case is not None else None
        return [f for f in self.fees if f.case_id is None or f.case_id == case_id]

    def steps_of(self, case: ProcedureCase) -> list[ProcessStep]:
        return [s for s in self.steps if s.case_id == case.pk]


_entries: OrderedDict[int, tuple[float, VersionParts]] = OrderedDict()
_lock = threading.Lock()


def get_version_parts(version: ProcedureVersion) -> VersionParts:
    """Return the parts of ``version``: from memory for a published version read within
    ``CATALOG_PARTS_CACHE_SECONDS``, else from the database (four queries)."""
    seconds = float(getattr(settings, "CATALOG_PARTS_CACHE_SECONDS", 60))
    keep = seconds > 0 and version.state != PublicationState.DRAFT
    if keep:
        now = time.monotonic()
        with _lock:
            found = _entries.get(version.pk)
            if found is not None and now - found[0] < seconds:
                _entries.move_to_end(version.pk)
                return found[1]
    parts = _read(version)
    if keep:
        with _lock:
            _entries[version.pk] = (time.monotonic(), parts)
            _entries.move_to_end(version.pk)
            while len(_entries) > _MAX_VERSIONS:
                _entries.popitem(last=False)
    return parts


def clear_parts_cache() -> None:
    """Forget every kept version (tests: a rolled-back test's ids are reused)."""
    with _lock:
        _entries.clear()


def _read(version: ProcedureVersion) -> VersionParts:
    order = ("position", "id")
    return VersionParts(
        cases=tuple(ProcedureCase.objects.filter(version=version).order_by(*order)),
        documents=tuple(ProcedureDocument.objects.filter(version=version).order_by(*order)),
        fees=tuple(FeeItem.objects.filter(version=version).order_by(*order)),
        steps=tuple(
            ProcessStep.objects.filter(version=version)
            .select_related("agency__admin_unit")
            .order_by(*order)
        ),
    )
