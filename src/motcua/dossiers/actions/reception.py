"""The desk's decision on a submission: receive (Form 01), ask for more (Form 02), refuse
(Form 03); and digitisation of the paper documents before transfer (§4.1 steps 4–6).

Reception is the moment the clock starts: the dossier gets its code (``codes``), its
receipt time, its appointment date from ``workdays`` (cut-off, office hours, the case's
time unit), the rule set of that day, its route through the agencies (from the case's
process steps) and its fee lines; the first row of the process control slip is the
desk's own step, due the same working day or the next morning (R30).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction

from motcua.agencies.models import Agency
from motcua.catalog.selectors import get_version_parts
from motcua.documents import actions as documents_actions
from motcua.documents.forms import FormItem, FormKind, rule_set_for
from motcua.dossiers import deadlines, paperwork
from motcua.dossiers.actions._common import (
    add_handover,
    check_extra_action,
    check_supplement_items,
    check_transition,
    lock,
    move,
    record_event,
    require_text,
    supplement_items_json,
)
from motcua.dossiers.actions.inputs import ProvidedDocument, Submission, SupplementItem
from motcua.dossiers.actions.intake import do_register_submission
from motcua.dossiers.codes import allocate_dossier_code
from motcua.dossiers.enums import DigitisationExemption, HandoverKind
from motcua.dossiers.errors import (
    DocumentNotProvided,
    MissingDocuments,
    SupplementIncomplete,
    UnknownDocument,
)
from motcua.dossiers.models import (
    Dossier,
    DossierDocument,
    Refusal,
    SupplementRequest,
    SupplementStage,
)
from motcua.dossiers.states import DESK_ROLES
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import InvalidInput
from motcua.workdays.schedule import Schedule

__all__ = [
    "build_route",
    "do_digitise_document",
    "do_mark_document_exempt",
    "do_receive_at_desk",
    "do_receive_dossier",
    "do_record_reception_supplement",
    "do_refuse_dossier",
    "do_request_reception_supplement",
    "fee_lines",
]


def build_route(dossier: Dossier, schedule: Schedule) -> list[dict[str, Any]]:
    """Return the agencies that handle ``dossier`` in order, each with its time share.

    Consecutive process steps of one agency form one leg; the desk's own steps
    (reception, return) are not legs; a step without an agency belongs to the competent
    agency. Without process steps the competent agency has the whole time limit.
    """
    legs: list[dict[str, Any]] = []
    for step in get_version_parts(dossier.procedure_version).steps_of(dossier.case):
        if step.role in DESK_ROLES or (step.agency is not None and step.agency.is_one_stop_desk):
            continue
        agency = step.agency or dossier.competent_agency
        share = deadlines.share_as_working_time(step.duration, step.duration_unit, schedule)
        share_us = int(share.total_seconds() * 1_000_000)
        if legs and legs[-1]["agency_id"] == agency.pk:
            legs[-1]["share_us"] += share_us
            legs[-1]["steps"].append(step.name)
        else:
            legs.append(
                {
                    "agency_id": agency.pk,
                    "agency_name": agency.name,
                    "share_us": share_us,
                    "steps": [step.name],
                }
            )
    if not legs:
        case = dossier.case
        share = deadlines.share_as_working_time(case.time_limit, case.time_unit, schedule)
        agency = dossier.competent_agency
        legs.append(
            {
                "agency_id": agency.pk,
                "agency_name": agency.name,
                "share_us": int(share.total_seconds() * 1_000_000),
                "steps": [],
            }
        )
    return legs


def fee_lines(dossier: Dossier) -> list[dict[str, Any]]:
    """Return the fee lines of the dossier's version and case (amounts in whole đồng)."""
    items = get_version_parts(dossier.procedure_version).fees_of(dossier.case)
    return [{"name": item.name, "kind": item.kind, "amount": int(item.amount)} for item in items]


def _pays_at_collection(procedure_code: str) -> bool:
    codes = getattr(settings, "DOSSIER_PAY_AT_COLLECTION_PROCEDURES", ())
    return "*" in codes or procedure_code in codes


def _missing(documents: Iterable[DossierDocument]) -> list[DossierDocument]:
    return [d for d in documents if d.is_mandatory and not d.is_provided]


def do_receive_dossier(dossier: Dossier, *, actor: Actor) -> Dossier:
    """Receive a complete dossier: code, receipt time, appointment date, route, Form 01.

    Raise ``dossier.missing_documents`` (with one field error per missing document) when
    a required document was not provided, ``wrong_state`` unless the dossier is
    ``SUBMITTED``, ``transition_not_allowed`` / ``dossier.out_of_scope`` for anyone but
    the receiving desk's staff, ``concurrent_transition`` when someone else acted first.
    Nothing is written then.
    """
    check_transition(dossier, actor, "receive")
    documents = list(dossier.documents.select_related("stored_file", "procedure_document"))
    missing = _missing(documents)
    if missing:
        raise MissingDocuments(
            params={"documents": "; ".join(d.name for d in missing)},
            field_errors={f"documents.{d.procedure_document_id}": [d.name] for d in missing},
        )
    with transaction.atomic():
        now = clock.now()
        desk = dossier.receiving_desk
        schedule = deadlines.schedule_of(desk)
        case = dossier.case
        due_at = deadlines.compute_dossier_due_at(now, case.time_limit, case.time_unit, schedule)
        fees = fee_lines(dossier)
        route = build_route(dossier, schedule)
        updates = {
            "code": allocate_dossier_code(desk.code, now),
            "received_at": now,
            "due_at": due_at,
            "original_due_at": due_at,
            "rule_set": rule_set_for(now, on=now),
            "route": route,
            "route_position": 0,
            "is_inter_agency": dossier.procedure_version.is_inter_agency or len(route) > 1,
            "fees": fees,
            "fee_total": sum(line["amount"] for line in fees),
            "is_payment_at_collection": _pays_at_collection(dossier.procedure_code),
        }
        move(
            dossier,
            "receive",
            actor=actor,
            updates=updates,
            data={"code": updates["code"], "received_at": now, "due_at": due_at},
        )
        transfer_due = deadlines.compute_transfer_due_at(now, schedule)
        add_handover(
            dossier,
            kind=HandoverKind.RECEPTION,
            from_agency=None,
            to_agency=desk,
            from_official=dossier.submitter_name or dossier.applicant_name,
            to_official=actor.display_name,
            handed_at=now,
            due_at=transfer_due,
            allotted=deadlines.working_time_between(now, transfer_due, schedule),
        )
        paperwork.issue_form(FormKind.RECEIPT_SLIP, dossier, issuer=desk, actor=actor, at=now)
        paperwork.keep_accepted_uploads(dossier, actor=actor, documents=documents)
    return dossier


def do_receive_at_desk(desk: Agency, *, actor: Actor, submission: Submission) -> Dossier:
    """Register and receive a complete dossier at the counter in one transaction."""
    with transaction.atomic():
        dossier = do_register_submission(desk, actor=actor, submission=submission)
        return do_receive_dossier(dossier, actor=actor)


def do_request_reception_supplement(
    dossier: Dossier, *, actor: Actor, items: Sequence[SupplementItem]
) -> SupplementRequest:
    """Ask the applicant, once and in full, for every missing or defective document (Form 02).

    Every required document not provided must be among ``items`` (each with a reason):
    ``dossier.supplement_incomplete`` otherwise; ``dossier.empty_supplement_request``
    for no item or an item without its reason. The dossier waits in
    ``RECEPTION_SUPPLEMENT``; ``do_record_reception_supplement`` restarts the check.
    """
    check_transition(dossier, actor, "request_reception_supplement")
    form_items = check_supplement_items(dossier, items)
    listed = {i.document_id for i in items}
    forgotten = [d for d in _missing(dossier.documents.all()) if d.pk not in listed]
    if forgotten:
        raise SupplementIncomplete(
            params={"documents": "; ".join(d.name for d in forgotten)},
            field_errors={f"documents.{d.pk}": [d.name] for d in forgotten},
        )
    with transaction.atomic():
        now = clock.now()
        request = SupplementRequest.objects.create(
            dossier=dossier,
            stage=SupplementStage.RECEPTION,
            agency=dossier.receiving_desk,
            items=supplement_items_json(items),
            requested_at=now,
            requested_by=actor.display_name or actor.ref,
        )
        move(
            dossier,
            "request_reception_supplement",
            actor=actor,
            data={"supplement_request": request.pk, "items": len(form_items)},
        )
        form = paperwork.issue_form(
            FormKind.SUPPLEMENT_REQUEST,
            dossier,
            issuer=dossier.receiving_desk,
            actor=actor,
            at=now,
            items=form_items,
        )
        if form is not None:
            SupplementRequest.objects.filter(pk=request.pk).update(form=form)
            request.form = form
    return request


def do_record_reception_supplement(
    dossier: Dossier, *, actor: Actor, documents: Sequence[ProvidedDocument]
) -> Dossier:
    """Record the documents the applicant brought back; the dossier is checked again.

    ``documents`` name required documents of this dossier (``dossier.unknown_document``
    otherwise). The dossier returns to ``SUBMITTED`` for the desk's new decision.
    """
    check_transition(dossier, actor, "resubmit")
    rows = {d.procedure_document_id: d for d in dossier.documents.all()}
    unknown = [p.procedure_document_id for p in documents if p.procedure_document_id not in rows]
    if unknown:
        raise UnknownDocument(params={"document": ", ".join(str(pk) for pk in unknown)})
    with transaction.atomic():
        now = clock.now()
        for provided in documents:
            DossierDocument.objects.filter(pk=rows[provided.procedure_document_id].pk).update(
                is_provided=True,
                originals=provided.originals,
                certified_copies=provided.certified_copies,
                photocopies=provided.photocopies,
            )
        SupplementRequest.objects.filter(
            dossier=dossier, stage=SupplementStage.RECEPTION, fulfilled_at__isnull=True
        ).update(fulfilled_at=now)
        move(
            dossier,
            "resubmit",
            actor=actor,
            data={"documents": [p.procedure_document_id for p in documents]},
        )
    return dossier


def do_refuse_dossier(dossier: Dossier, *, actor: Actor, reason: str) -> Refusal:
    """Refuse to receive (not within competence, not eligible): Form 03, no code, no date.

    Raise ``dossier.missing_reason`` without a reason (R25).
    """
    check_transition(dossier, actor, "refuse")
    text = require_text(reason)
    with transaction.atomic():
        now = clock.now()
        refusal = Refusal.objects.create(
            dossier=dossier, reason=text, refused_at=now, refused_by=actor.display_name or actor.ref
        )
        move(dossier, "refuse", actor=actor, data={"reason": text})
        form = paperwork.issue_form(
            FormKind.REFUSAL,
            dossier,
            issuer=dossier.receiving_desk,
            actor=actor,
            at=now,
            reason=text,
            items=(FormItem(text=text),),
        )
        if form is not None:
            Refusal.objects.filter(pk=refusal.pk).update(form=form)
            refusal.form = form
    return refusal


def _document_of(
    document: DossierDocument, actor: Actor, action: str
) -> tuple[Dossier, DossierDocument]:
    # By id: the document's own cached dossier would cost a read before the locked one.
    dossier = lock(document.dossier_id, light=True)
    check_extra_action(dossier, actor, action)
    row = DossierDocument.objects.select_for_update().get(pk=document.pk)
    if not row.is_provided:
        raise DocumentNotProvided(params={"document": row.name})
    return dossier, row


def do_digitise_document(
    document: DossierDocument, *, actor: Actor, uploaded_file: Any
) -> DossierDocument:
    """Attach the scanned copy of a provided paper document (§8.1), before transfer.

    The file is checked and stored by ``documents.do_store_upload`` (size, type by
    content: ``documents.*`` errors). Raise ``dossier.document_not_provided`` for a
    document the applicant did not hand in; ``wrong_state`` after transfer.
    """
    with transaction.atomic():
        dossier, row = _document_of(document, actor, "digitise_document")
        stored = documents_actions.do_store_upload(
            uploaded_file,
            actor=actor,
            subject_type=paperwork.SUBJECT_TYPE,
            subject_id=dossier.pk,
            purpose="digitisation",
        )
        now = clock.now()
        values = {
            "stored_file": stored,
            "digitised_at": now,
            "digitised_by": actor.ref,
            "exemption": "",
            "exemption_note": "",
        }
        DossierDocument.objects.filter(pk=row.pk).update(**values)
        record_event(
            dossier,
            "digitise_document",
            actor=actor,
            data={"document": row.pk, "file": stored.pk, "sha256": stored.sha256},
        )
        for name, value in values.items():
            setattr(row, name, value)
    return row


def do_mark_document_exempt(
    document: DossierDocument, *, actor: Actor, exemption: str, note: str = ""
) -> DossierDocument:
    """Record why a provided document need not be digitised (one of the four exemptions).

    Raise ``invalid_input`` for an unknown exemption; a confidential document needs a note.
    """
    if exemption not in DigitisationExemption.values:
        raise InvalidInput(field_errors={"exemption": [InvalidInput.default_message]})
    if exemption == DigitisationExemption.CONFIDENTIAL:
        require_text(note, "note")
    with transaction.atomic():
        dossier, row = _document_of(document, actor, "mark_document_exempt")
        row.exemption, row.exemption_note = exemption, note.strip()
        DossierDocument.objects.filter(pk=row.pk).update(
            exemption=row.exemption, exemption_note=row.exemption_note
        )
        record_event(
            dossier,
            "mark_document_exempt",
            actor=actor,
            data={"document": row.pk, "exemption": exemption},
        )
    return row
