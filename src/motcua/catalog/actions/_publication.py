"""Publication of a version: which version it follows, whether it may, and the transitions.

Private to ``catalog.actions``: states move only through ``apply_transition``, which
writes the audit row and the outbox message of each transition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import F

from motcua.catalog.enums import PublicationState
from motcua.catalog.errors import ProcedureAbolished, ValidityOverlap
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.states import PROCEDURE_VERSION_MACHINE
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.workflow.engine import apply_transition


def bump_revisions(procedure_ids: Iterable[int]) -> None:
    """Mark what the public sees of these procedures as changed (new page-cache key)."""
    ids = sorted(set(procedure_ids))
    if ids:
        Procedure.objects.filter(pk__in=ids).update(revision=F("revision") + 1)


def latest_published(
    procedure: Procedure, *, exclude: int | None = None
) -> ProcedureVersion | None:
    """Return the version of ``procedure`` with the latest validity start, if any."""
    versions = ProcedureVersion.objects.filter(procedure=procedure).exclude(
        state=PublicationState.DRAFT
    )
    if exclude is not None:
        versions = versions.exclude(pk=exclude)
    return versions.order_by("-valid_from").first()


def check_publishable(
    procedure: Procedure, valid_from: dt.datetime, previous: ProcedureVersion | None
) -> None:
    """Raise when a version of ``procedure`` cannot take effect at ``valid_from``."""
    if procedure.abolished_at is not None or (
        previous is not None and previous.state == PublicationState.ABOLISHED
    ):
        raise ProcedureAbolished(params={"code": procedure.code})
    if (
        previous is not None
        and previous.valid_from is not None
        and previous.valid_from >= valid_from
    ):
        raise ValidityOverlap(
            params={
                "number": previous.number,
                "current": f"{clock.local(previous.valid_from):%d/%m/%Y %H:%M}",
            }
        )


def publish(
    version: ProcedureVersion,
    *,
    actor: Actor,
    valid_from: dt.datetime,
    previous: ProcedureVersion | None,
    audit_extra: dict[str, Any] | None = None,
) -> None:
    """Publish ``version`` from ``valid_from`` and close ``previous`` at that moment.

    The caller has checked ``check_publishable``, holds the transaction and bumps the
    procedure's revision (``bump_revisions``, in bulk for an import); ``audit_extra`` joins the publication's audit row (an import records its outcome
    there rather than in a second row).
    """
    announcement = version.announcement
    apply_transition(
        version,
        PROCEDURE_VERSION_MACHINE,
        "publish",
        actor=actor,
        updates={"valid_from": valid_from, "valid_to": None, "published_at": clock.now()},
        audit_data={
            "code": version.code,
            "number": version.number,
            "valid_from": valid_from,
            "announcement": announcement.number if announcement else "",
            **(audit_extra or {}),
        },
        payload={"code": version.code, "number": version.number, "valid_from": valid_from},
    )
    if previous is not None and previous.state == PublicationState.PUBLISHED:
        apply_transition(
            previous,
            PROCEDURE_VERSION_MACHINE,
            "supersede",
            actor=actor,
            updates={"valid_to": valid_from},
            audit_data={"code": previous.code, "number": previous.number, "by": version.number},
            payload={"code": previous.code, "number": previous.number, "by": version.number},
        )
