"""Create, edit, publish and abolish procedures and their versions.

Every function checks that the actor administers the catalogue, validates everything
before writing, runs in one transaction and writes one audit row per change (state
changes go through ``workflow.engine.apply_transition``, which audits them).
The transactions are not ``durable``: the Django admin calls these actions from
inside its own ``changeform_view`` transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from motcua.audit import actions as audit
from motcua.catalog.actions import _publication, _references, _rows
from motcua.catalog.enums import PublicationState
from motcua.catalog.errors import (
    DraftExists,
    DuplicateCode,
    InvalidProcedure,
    NotADraft,
    ProcedureAbolished,
)
from motcua.catalog.models import AnnouncementDecision, Procedure, ProcedureVersion
from motcua.catalog.schemas import AnnouncementData, ProcedureData
from motcua.catalog.serialization import VERSION_PARTS_PREFETCH, VERSION_RELATED, version_to_data
from motcua.catalog.states import PROCEDURE_VERSION_MACHINE
from motcua.catalog.validation import (
    Issue,
    Path,
    References,
    check_announcement,
    check_procedure_data,
    check_references,
)
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import InvalidInput, WrongState
from motcua.workflow.engine import apply_transition

__all__ = [
    "do_abolish_procedure",
    "do_create_procedure",
    "do_create_procedure_version",
    "do_publish_procedure_version",
    "do_record_announcement_decision",
    "do_update_procedure_version",
]

AGGREGATE = "catalog.procedureversion"


def _invalid(issues: list[Issue]) -> InvalidProcedure:
    field_errors: dict[str, list[str | Promise]] = {}
    for issue in issues:
        field_errors.setdefault(issue.dotted or "__all__", []).append(issue.message)
    return InvalidProcedure(field_errors=field_errors)


def _raise_invalid(issues: list[Issue]) -> None:
    if issues:
        raise _invalid(issues)


def _validate(data: ProcedureData) -> References:
    refs = _references.load_references([data])
    issues = check_procedure_data(data) + check_references(data, refs)
    conflicts = _references.announcement_conflicts(_references.announcements_of([data]))
    issues += _references.announcement_issue(data.announcement, conflicts)
    _raise_invalid(issues)
    return refs


def _values(data: ProcedureData, refs: References) -> dict[str, Any]:
    return _rows.version_values(
        data,
        refs=refs,
        fields=_references.ensure_fields([data]),
        announcements=_references.ensure_announcements(_references.announcements_of([data])),
    )


def _save_version(
    procedure: Procedure, data: ProcedureData, refs: References, *, number: int, actor: Actor
) -> ProcedureVersion:
    values = _values(data, refs)
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=number, created_by=actor.ref, **values
    )
    _rows.write_parts([_rows.Planned(version, data)], refs)
    _publication.bump_revisions(_rows.sync_listings([(procedure, data)], refs))
    return version


def do_create_procedure(data: ProcedureData, *, actor: Actor) -> ProcedureVersion:
    """Create a procedure with code ``data.code`` and its first version, as a draft.

    Raise ``PermissionDenied``, ``InvalidProcedure`` (every broken rule, by field) or
    ``DuplicateCode`` when the code is already in the catalogue; nothing is written then.
    """
    _rows.require_catalog_admin(actor)
    refs = _validate(data)
    if Procedure.objects.filter(code=data.code).exists():
        raise DuplicateCode(params={"code": data.code})
    try:
        with transaction.atomic():
            procedure = Procedure.objects.create(code=data.code)
            version = _save_version(procedure, data, refs, number=1, actor=actor)
            audit.record(
                actor=actor,
                action=f"{AGGREGATE}.create",
                aggregate_type=AGGREGATE,
                aggregate_id=version.pk,
                data={"code": data.code, "number": 1, "content_hash": version.content_hash},
            )
    except IntegrityError:
        # Another administrator created the same code between the check and the insert.
        raise DuplicateCode(params={"code": data.code}) from None
    return version


def _load(version_id: int) -> ProcedureVersion:
    return (
        ProcedureVersion.objects.select_related(*VERSION_RELATED)
        .prefetch_related(*VERSION_PARTS_PREFETCH)
        .get(pk=version_id)
    )


def do_create_procedure_version(
    procedure: Procedure, *, actor: Actor, data: ProcedureData | None = None
) -> ProcedureVersion:
    """Draft the next version of ``procedure``, from ``data`` or as a copy of the latest one.

    Raise ``DraftExists`` when the procedure already has a draft, ``ProcedureAbolished``
    when it was abolished, ``InvalidProcedure`` for bad data; nothing is written then.
    """
    _rows.require_catalog_admin(actor)
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        if procedure.abolished_at is not None:
            raise ProcedureAbolished(params={"code": procedure.code})
        latest = procedure.versions.order_by("-number").first()
        if latest is not None and latest.state == PublicationState.DRAFT:
            raise DraftExists(params={"code": procedure.code, "number": latest.number})
        if data is None:
            if latest is None:
                raise InvalidInput(_("Thủ tục chưa có phiên bản nào để sao chép."))
            data = version_to_data(_load(latest.pk)).model_copy(update={"announcement": None})
        if data.code != procedure.code:
            _raise_invalid([Issue(("code",), _("Không được đổi mã thủ tục của một thủ tục."))])
        refs = _validate(data)
        number = (latest.number if latest else 0) + 1
        version = _save_version(procedure, data, refs, number=number, actor=actor)
        audit.record(
            actor=actor,
            action=f"{AGGREGATE}.create",
            aggregate_type=AGGREGATE,
            aggregate_id=version.pk,
            data={"code": procedure.code, "number": number, "content_hash": version.content_hash},
        )
    return version


def do_update_procedure_version(
    version: ProcedureVersion, *, actor: Actor, data: ProcedureData
) -> ProcedureVersion:
    """Replace the content of draft ``version`` with ``data``.

    Raise ``NotADraft`` for a published version (published content never changes:
    draft a new version instead) and ``InvalidProcedure`` for bad data.
    """
    _rows.require_catalog_admin(actor)
    if data.code != version.code:
        _raise_invalid([Issue(("code",), _("Không được đổi mã thủ tục của một thủ tục."))])
    refs = _validate(data)
    with transaction.atomic():
        locked = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
        if locked.state != PublicationState.DRAFT:
            raise NotADraft()
        values = _values(data, refs)
        before = locked.content_hash
        ProcedureVersion.objects.filter(pk=locked.pk).update(**values, updated_at=clock.now())
        _rows.delete_parts([locked.pk])
        _rows.write_parts([_rows.Planned(locked, data)], refs)
        _publication.bump_revisions(_rows.sync_listings([(locked.procedure, data)], refs))
        audit.record(
            actor=actor,
            action=f"{AGGREGATE}.update",
            aggregate_type=AGGREGATE,
            aggregate_id=locked.pk,
            data={
                "code": locked.code,
                "number": locked.number,
                "from_hash": before,
                "to_hash": values["content_hash"],
            },
        )
    return _load(locked.pk)


def _decision(announcement: AnnouncementData, path: Path) -> AnnouncementDecision:
    """Return the recorded decision for ``announcement``, recording it if new (validated)."""
    conflicts = _references.announcement_conflicts([announcement])
    _raise_invalid(
        check_announcement(announcement, path[:-1] if path else ())
        + _references.announcement_issue(announcement, conflicts, path)
    )
    return _references.ensure_announcements([announcement])[
        (announcement.number, announcement.decided_on)
    ]


def do_record_announcement_decision(
    data: AnnouncementData, *, actor: Actor
) -> AnnouncementDecision:
    """Record an announcement decision, or return the same one already recorded.

    Raise ``InvalidProcedure`` when the effective date is before the decision date or
    contradicts the decision already recorded under that number and date.
    """
    _rows.require_catalog_admin(actor)
    with transaction.atomic():
        decision = _decision(data, ("effective_on",))
        audit.record(
            actor=actor,
            action="catalog.announcementdecision.record",
            aggregate_type="catalog.announcementdecision",
            aggregate_id=decision.pk,
            data=data.model_dump(mode="json"),
        )
    return decision


def do_publish_procedure_version(
    version: ProcedureVersion, *, actor: Actor, valid_from: dt.datetime | None = None
) -> ProcedureVersion:
    """Publish draft ``version`` under its announcement decision and end the previous one.

    The version takes effect at ``valid_from`` (default: 00:00 Vietnam time of the
    decision's effective date); the version in force until then gets ``valid_to`` and
    the state ``amended``; nothing that refers to it changes. Raise ``InvalidProcedure``
    without an announcement decision or with ``valid_from`` before the decision date,
    ``ValidityOverlap`` unless it starts after the previous version, ``WrongState``
    for a version that is not a draft, ``ProcedureAbolished``.
    """
    _rows.require_catalog_admin(actor)
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
        version = ProcedureVersion.objects.select_related("announcement").get(pk=version.pk)
        announcement = version.announcement
        if announcement is None:
            raise _invalid(
                [Issue(("announcement",), _("Cần có quyết định công bố trước khi công khai."))]
            )
        start = valid_from or _rows.local_midnight(announcement.effective_on)
        if clock.local(start).date() < announcement.decided_on:
            _raise_invalid(
                [
                    Issue(
                        ("valid_from",),
                        _("Ngày có hiệu lực không được trước ngày ban hành quyết định công bố."),
                    )
                ]
            )
        previous = _publication.latest_published(procedure, exclude=version.pk)
        _publication.check_publishable(procedure, start, previous)
        _publication.publish(version, actor=actor, valid_from=start, previous=previous)
        _publication.bump_revisions([procedure.pk])
    return version


def do_abolish_procedure(
    procedure: Procedure,
    *,
    actor: Actor,
    decision: AnnouncementData,
    abolished_at: dt.datetime | None = None,
) -> Procedure:
    """Abolish ``procedure`` from ``abolished_at`` (default: the decision's effective date).

    The version in force gets ``valid_to`` and the state ``abolished``; dossiers keep
    referring to it. Raise ``ProcedureAbolished`` when already abolished, ``WrongState``
    when it has no published version, ``InvalidProcedure`` for a bad decision or an
    abolition before the version took effect.
    """
    _rows.require_catalog_admin(actor)
    _raise_invalid(check_announcement(decision))
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        if procedure.abolished_at is not None:
            raise ProcedureAbolished(params={"code": procedure.code})
        current = _publication.latest_published(procedure)
        if current is None or current.state != PublicationState.PUBLISHED:
            raise WrongState(
                _("Thủ tục “%(code)s” chưa có phiên bản đang công khai để bãi bỏ."),
                code="catalog.nothing_to_abolish",
                params={"code": procedure.code},
            )
        end = abolished_at or _rows.local_midnight(decision.effective_on)
        assert current.valid_from is not None
        if end <= current.valid_from:
            _raise_invalid(
                [
                    Issue(
                        ("effective_on",),
                        _("Ngày bãi bỏ phải sau ngày phiên bản hiện hành có hiệu lực (%(date)s).")
                        % {"date": f"{clock.local(current.valid_from):%d/%m/%Y}"},
                    )
                ]
            )
        record = _decision(decision, ("effective_on",))
        apply_transition(
            current,
            PROCEDURE_VERSION_MACHINE,
            "abolish",
            actor=actor,
            updates={"valid_to": end},
            audit_data={"code": procedure.code, "decision": decision.number, "abolished_at": end},
            payload={"code": procedure.code, "number": current.number, "abolished_at": end},
        )
        procedure.abolished_at = end
        procedure.abolition_decision = record
        procedure.save(update_fields=["abolished_at", "abolition_decision"])
        _publication.bump_revisions([procedure.pk])
    procedure.refresh_from_db(fields=["revision"])
    return procedure
