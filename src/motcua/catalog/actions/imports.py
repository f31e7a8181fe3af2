"""``do_import_procedures``: write a parsed import file, all or nothing (or the valid part).

Each procedure of the file becomes a version: a new procedure, the next version of an
existing one, or the new content of its current draft; a procedure whose latest
version already has the same content is left alone, so importing a file twice
changes nothing. With ``publish=True`` every imported draft is published under its
announcement decision, which closes the version it replaces.

Speed: a batch is checked with a handful of queries, then written in chunks with bulk
inserts. Per procedure there is one audit row: the import's, or — when publishing —
the publication's, which records the import too (plus the transition's compare-and-set
update and outbox message, and the closing of the version it replaces).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.audit import actions as audit
from motcua.catalog.actions import _publication, _references, _rows
from motcua.catalog.enums import PublicationState
from motcua.catalog.errors import DuplicateCode, ImportRejected
from motcua.catalog.importing import Candidate, ImportBatch, ImportReport
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.schemas import ProcedureData
from motcua.catalog.serialization import content_hash
from motcua.catalog.validation import Issue, References, check_references
from motcua.kernel import clock
from motcua.kernel.actors import Actor

__all__ = ["do_import_procedures"]

AGGREGATE = "catalog.procedureversion"
CHUNK = 500
CREATE, NEW_VERSION, REPLACE_DRAFT, UNCHANGED = (
    "create",
    "new_version",
    "replace_draft",
    "unchanged",
)
_VERSION_FIELDS = (
    "id",
    "procedure_id",
    "code",
    "number",
    "state",
    "content_hash",
    "valid_from",
    "announcement_id",
)


# The version columns an import rewrites on a draft (never the state).
_REWRITTEN_FIELDS = [
    "code",
    "name",
    "field",
    "levels",
    "subjects",
    "submission_methods",
    "method_note",
    "sequence",
    "requirements",
    "implementing_agency_names",
    "applying_agency_names",
    "result_is_document",
    "result_name",
    "online_level",
    "is_full_online_eligible",
    "is_online_only",
    "is_inter_agency",
    "is_free",
    "fee_code",
    "note",
    "announcement",
    "search_text",
    "content",
    "content_hash",
    "updated_at",
]


@dataclass
class _Plan:
    candidate: Candidate
    data: ProcedureData
    outcome: str
    procedure: Procedure | None
    latest: ProcedureVersion | None
    previous: ProcedureVersion | None  # the latest published version, closed on publication
    to_publish: bool = False
    version: ProcedureVersion | None = None


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(
    codes: list[str],
) -> tuple[dict[str, Procedure], dict[int, ProcedureVersion], dict[int, ProcedureVersion]]:
    """Return procedures by code (locked), their latest version and latest published one."""
    procedures: dict[str, Procedure] = {}
    for chunk in _chunks(codes, 2000):
        for proc in Procedure.objects.select_for_update().filter(code__in=chunk):
            procedures[proc.code] = proc
    latest: dict[int, ProcedureVersion] = {}
    published: dict[int, ProcedureVersion] = {}
    ids = [p.pk for p in procedures.values()]
    for chunk in _chunks(ids, 2000):
        versions = (
            ProcedureVersion.objects.filter(procedure_id__in=chunk)
            .select_related("announcement")
            .only(*_VERSION_FIELDS, "announcement__number")
            .order_by("procedure_id", "-number")
        )
        for version in versions:
            latest.setdefault(version.procedure_id, version)
            # Numbers grow with validity (a draft is published after the one before it).
            if version.state != PublicationState.DRAFT:
                published.setdefault(version.procedure_id, version)
    return procedures, latest, published


def _plan(
    candidate: Candidate,
    *,
    refs: References,
    conflicts: dict[Any, Any],
    procedures: dict[str, Procedure],
    latest: dict[int, ProcedureVersion],
    published: dict[int, ProcedureVersion],
    publish: bool,
) -> _Plan:
    data = candidate.data
    assert data is not None
    candidate.add(check_references(data, refs))
    candidate.add(_references.announcement_issue(data.announcement, conflicts))
    procedure = procedures.get(data.code)
    last = latest.get(procedure.pk) if procedure else None
    previous = published.get(procedure.pk) if procedure else None
    if procedure is None:
        outcome = CREATE
    elif procedure.abolished_at is not None:
        candidate.add(
            [Issue(("code",), _("Thủ tục “%(code)s” đã bị bãi bỏ.") % {"code": data.code})]
        )
        outcome = UNCHANGED
    elif last is not None and last.content_hash == content_hash(data):
        outcome = UNCHANGED
    elif last is not None and last.state == PublicationState.DRAFT:
        outcome = REPLACE_DRAFT
    else:
        outcome = NEW_VERSION
    plan = _Plan(candidate, data, outcome, procedure, last, previous)
    if publish and (outcome != UNCHANGED or (last is not None and last.is_draft)):
        plan.to_publish = True
        if data.announcement is None:
            candidate.add(
                [Issue(("announcement", "number"), _("Cần có quyết định công bố để công khai."))]
            )
        else:
            start = _rows.local_midnight(data.announcement.effective_on)
            if previous is not None and previous.state == PublicationState.ABOLISHED:
                candidate.add(
                    [Issue(("code",), _("Thủ tục “%(code)s” đã bị bãi bỏ.") % {"code": data.code})]
                )
            elif previous is not None and previous.valid_from and previous.valid_from >= start:
                candidate.add(
                    [
                        Issue(
                            ("announcement", "effective_on"),
                            _(
                                "Phiên bản mới phải có hiệu lực sau phiên bản %(number)s (có "
                                "hiệu lực từ %(current)s)."
                            )
                            % {
                                "number": previous.number,
                                "current": f"{clock.local(previous.valid_from):%d/%m/%Y}",
                            },
                        )
                    ]
                )
    return plan


def _write(plans: list[_Plan], *, actor: Actor, refs: References, source: str) -> None:
    datas = [p.data for p in plans]
    fields = _references.ensure_fields(datas)
    announcements = _references.ensure_announcements(_references.announcements_of(datas))
    for chunk in _chunks(plans, CHUNK):
        fresh = [p for p in chunk if p.outcome == CREATE]
        created = Procedure.objects.bulk_create([Procedure(code=p.data.code) for p in fresh])
        for plan, procedure in zip(fresh, created, strict=True):
            plan.procedure = procedure
        inserts: list[ProcedureVersion] = []
        replaced: list[ProcedureVersion] = []
        for plan in chunk:
            if plan.outcome == UNCHANGED:
                plan.version = plan.latest
                continue
            values = _rows.version_values(
                plan.data, refs=refs, fields=fields, announcements=announcements
            )
            if plan.outcome == REPLACE_DRAFT:
                assert plan.latest is not None
                for name, value in values.items():
                    setattr(plan.latest, name, value)
                plan.latest.updated_at = clock.now()
                plan.version = plan.latest
                replaced.append(plan.latest)
            else:
                number = plan.latest.number + 1 if plan.latest else 1
                plan.version = ProcedureVersion(
                    procedure=plan.procedure, number=number, created_by=actor.ref, **values
                )
                inserts.append(plan.version)
        ProcedureVersion.objects.bulk_create(inserts)
        if replaced:
            _rows.delete_parts([v.pk for v in replaced])
            ProcedureVersion.objects.bulk_update(replaced, _REWRITTEN_FIELDS)
        changed = [p for p in chunk if p.outcome != UNCHANGED]
        _rows.write_parts([_rows.Planned(p.version, p.data) for p in changed if p.version], refs)
        changed_listings = _rows.sync_listings(
            [(p.procedure, p.data) for p in chunk if p.procedure], refs
        )
        for plan in chunk:
            assert plan.version is not None
            outcome = {
                "outcome": plan.outcome,
                "source": source,
                "content_hash": plan.version.content_hash,
            }
            if plan.to_publish and plan.data.announcement is not None:
                # One audit row per procedure: the publication's row carries the import.
                _publication.publish(
                    plan.version,
                    actor=actor,
                    valid_from=_rows.local_midnight(plan.data.announcement.effective_on),
                    previous=plan.previous,
                    audit_extra={"import": outcome},
                )
            elif plan.outcome != UNCHANGED:
                audit.record(
                    actor=actor,
                    action=f"{AGGREGATE}.import",
                    aggregate_type=AGGREGATE,
                    aggregate_id=plan.version.pk,
                    data={"code": plan.data.code, "number": plan.version.number, **outcome},
                )
        published = {p.version.procedure_id for p in chunk if p.to_publish and p.version}
        _publication.bump_revisions(published | changed_listings)


def do_import_procedures(
    batch: ImportBatch, *, actor: Actor, partial: bool = False, publish: bool = False
) -> ImportReport:
    """Import the procedures of ``batch`` (from ``importing.read_import_file``).

    Every invalid row is reported with its sheet, row, field and reason. Unless
    ``partial``, one invalid row rejects the whole file: ``ImportRejected`` is raised
    (its ``report`` lists every issue) and nothing is written. With ``partial``, the
    valid procedures are imported and the report lists the rejected ones. A file with
    wrong sheets or columns is always rejected. Raise ``PermissionDenied`` for an
    actor who does not administer the catalogue.
    """
    _rows.require_catalog_admin(actor)
    report = ImportReport(source=batch.source, total=len(batch.candidates))
    if batch.is_malformed:
        report.issues = list(batch.issues)
        raise ImportRejected(report)
    parsed = [c for c in batch.candidates if c.data is not None]
    datas = [c.data for c in parsed if c.data is not None]
    # The parsed batch (10^5 objects for thousands of procedures) lives until the end;
    # freezing it keeps every full garbage collection from walking it again (~15 % of
    # the CPU time of a 6,000-procedure import).
    gc.freeze()
    try:
        with transaction.atomic():
            refs = _references.load_references(datas)
            conflicts = _references.announcement_conflicts(_references.announcements_of(datas))
            procedures, latest, published = _existing(sorted({d.code for d in datas}))
            plans = [
                _plan(
                    c,
                    refs=refs,
                    conflicts=conflicts,
                    procedures=procedures,
                    latest=latest,
                    published=published,
                    publish=publish,
                )
                for c in parsed
            ]
            report.issues = [*batch.issues, *(i for c in batch.candidates for i in c.issues)]
            report.rejected = [c.code for c in batch.candidates if not c.is_valid]
            if report.issues and not partial:
                raise ImportRejected(report)
            valid = [p for p in plans if p.candidate.is_valid]
            _write(valid, actor=actor, refs=refs, source=batch.source)
    except IntegrityError:
        # Another import created one of these codes meanwhile; nothing of this one was kept.
        raise DuplicateCode(
            _("Một thủ tục trong tệp vừa được tạo bởi người khác; hãy nhập lại."),
        ) from None
    finally:
        gc.unfreeze()
    for plan in valid:
        {
            CREATE: report.created,
            NEW_VERSION: report.new_versions,
            REPLACE_DRAFT: report.drafts_replaced,
            UNCHANGED: report.unchanged,
        }[plan.outcome].append(plan.data.code)
        if plan.to_publish:
            report.published.append(plan.data.code)
    report.imported = True
    return report
