"""The dossier's paperwork through ``documents``: one-stop forms and the signed result.

The actions call these helpers inside their transaction; each builds a
``documents.forms.FormContext`` from the dossier (plain data: ``documents`` never imports
``dossiers``) and calls ``documents.actions``. The rule set is the dossier's own (chosen
at receipt, R1), or the one in force now for a submission not yet received.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import AdminUnitLevel, Agency
from motcua.documents import actions as documents_actions
from motcua.documents import types
from motcua.documents.forms import (
    FormContext,
    FormDocumentLine,
    FormHandoverLine,
    FormItem,
    FormKind,
    FormParty,
    FormRuleSet,
    form_number,
    rule_set_for,
)
from motcua.documents.models import IssuedDocument, Result
from motcua.dossiers.enums import (
    DeliveryChannel,
    DocumentSource,
    SubmissionChannel,
    SubmitterKind,
)
from motcua.dossiers.models import Dossier, DossierDocument, HandoverEntry
from motcua.kernel.actors import Actor

__all__ = [
    "SUBJECT_TYPE",
    "build_form_context",
    "format_vnd",
    "issue_form",
    "issue_result",
    "keep_accepted_uploads",
    "place_name_of",
    "result_valid_until",
    "tracking_url_of",
]

SUBJECT_TYPE = "dossiers.dossier"
DEFAULT_TRACKING_PATH = "/tra-cuu-ho-so/?ma={code}"


def format_vnd(amount: int) -> str:
    """Return ``"1.250.000 đồng"`` (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def place_name_of(agency: Agency) -> str:
    """Return the province printed on the "…, ngày … tháng … năm …" line of a form."""
    unit = agency.admin_unit
    while unit is not None and unit.level != AdminUnitLevel.PROVINCE:
        unit = unit.parent
    if unit is None:
        return ""
    for prefix in ("Thành phố ", "Tỉnh "):
        if unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def tracking_url_of(dossier: Dossier) -> str:
    """Return the public tracking address printed as a QR code on the forms."""
    base = getattr(settings, "DOCUMENTS_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    path = getattr(settings, "DOSSIER_TRACKING_PATH", DEFAULT_TRACKING_PATH)
    return base + path.format(code=dossier.code or dossier.reference)


def _applicant(dossier: Dossier) -> FormParty:
    return FormParty(
        name=dossier.applicant_name,
        id_number=dossier.applicant_id_number,
        address=dossier.applicant_address,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
    )


def _submitter(dossier: Dossier) -> FormParty | None:
    if dossier.submitter_kind == SubmitterKind.SELF or not dossier.submitter_name:
        return None
    return FormParty(
        name=dossier.submitter_name,
        id_number=dossier.submitter_id_number,
        phone=dossier.submitter_phone,
    )


def _document_lines(dossier: Dossier) -> tuple[FormDocumentLine, ...]:
    return tuple(
        FormDocumentLine(
            name=document.name,
            originals=document.originals,
            certified_copies=document.certified_copies,
            photocopies=document.photocopies,
            note=str(document.get_exemption_display()) if document.exemption else "",
        )
        for document in dossier.documents.all()
        if document.is_provided
    )


def handover_lines(dossier: Dossier) -> tuple[FormHandoverLine, ...]:
    """Return the process control slip's rows (Form 06) from the hand-over entries."""
    rows = HandoverEntry.objects.filter(dossier=dossier).select_related("from_agency", "to_agency")
    return tuple(
        FormHandoverLine(
            step=str(row.get_kind_display()),
            from_name=" — ".join(
                p for p in (row.from_agency.name if row.from_agency else "", row.from_official) if p
            ),
            to_name=" — ".join(p for p in (row.to_agency.name, row.to_official) if p),
            handed_at=row.handed_at,
            due_at=row.due_at,
            done_at=row.done_at,
            timeliness=row.timeliness,
            note=row.note,
        )
        for row in rows
    )


def _rule_set(dossier: Dossier, at: dt.datetime) -> FormRuleSet:
    if dossier.rule_set:
        return FormRuleSet(dossier.rule_set)
    return rule_set_for(dossier.received_at, on=at)


def build_form_context(
    kind: FormKind,
    dossier: Dossier,
    *,
    issuer: Agency,
    actor: Actor,
    at: dt.datetime,
    **extra: Any,
) -> FormContext:
    """Return the ``FormContext`` of form ``kind`` for ``dossier`` issued by ``issuer``."""
    version = dossier.procedure_version
    parent = issuer.parent
    fee_label = format_vnd(dossier.fee_total) if dossier.fee_total else ""
    values: dict[str, Any] = {
        "kind": kind,
        "rule_set": _rule_set(dossier, at),
        "issuing_agency_name": issuer.name,
        "issuing_agency_parent_name": parent.name if parent is not None else "",
        "place_name": place_name_of(issuer),
        "issued_at": at,
        "dossier_code": dossier.code or "",
        "procedure_code": version.code,
        "procedure_name": version.name,
        "applicant": _applicant(dossier),
        "submitter": _submitter(dossier),
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "channel_label": str(SubmissionChannel(dossier.channel).label),
        "return_channel_label": str(DeliveryChannel(dossier.return_channel).label),
        "documents": _document_lines(dossier),
        "officer_name": actor.display_name,
        "tracking_url": tracking_url_of(dossier),
        "processing_time_label": dossier.case.time_limit_display,
        "fee_label": fee_label,
    }
    values.update(extra)
    return FormContext(**values)


def issue_form(
    kind: FormKind,
    dossier: Dossier,
    *,
    issuer: Agency,
    actor: Actor,
    at: dt.datetime,
    items: tuple[FormItem, ...] = (),
    **extra: Any,
) -> IssuedDocument | None:
    """Render and store form ``kind`` for ``dossier``; ``None`` when the rule set has none.

    Circular 01/2018 has no stop notice (Form 05 of 2025): then nothing is issued and the
    written reason stays on the ``StopNotice`` row.
    """
    context = build_form_context(
        kind, dossier, issuer=issuer, actor=actor, at=at, items=items, **extra
    )
    if form_number(kind, context.rule_set) is None:
        return None
    return documents_actions.do_issue_form(
        context, actor=actor, subject_type=SUBJECT_TYPE, subject_id=dossier.pk
    )


def result_valid_until(procedure_code: str, issued_at: dt.datetime) -> dt.datetime | None:
    """Return when a result of ``procedure_code`` stops being valid, or ``None`` (no limit).

    From ``DOCUMENTS_RESULT_VALIDITY_DAYS`` (procedure code → calendar days): a validity
    period, not a processing deadline, so it counts calendar days.
    """
    days = dict(getattr(settings, "DOCUMENTS_RESULT_VALIDITY_DAYS", {})).get(procedure_code)
    return issued_at + dt.timedelta(days=int(days)) if days else None


def keep_accepted_uploads(
    dossier: Dossier, *, actor: Actor, documents: Iterable[DossierDocument] | None = None
) -> int:
    """Put the files the applicant uploaded into their data store, now that the desk (or the
    agency, for a supplement) accepted them; return how many rows were looked at.

    ``documents``: the dossier's document rows already read in this transaction, with
    their ``stored_file`` and ``procedure_document`` (else they are read here).
    """
    if documents is None:
        rows = list(
            DossierDocument.objects.filter(
                dossier=dossier, source=DocumentSource.UPLOAD, stored_file__isnull=False
            ).select_related("stored_file", "procedure_document")
        )
    else:
        rows = [
            d
            for d in documents
            if d.source == DocumentSource.UPLOAD and d.stored_file_id is not None
        ]
    desk = dossier.receiving_desk
    for row in rows:
        assert row.stored_file is not None
        document = row.procedure_document
        documents_actions.do_keep_upload_in_store(
            row.stored_file,
            actor=actor,
            owner_id_number=dossier.applicant_id_number,
            document_type=types.required_type(document.code, document.name),
            title=row.name,
            issuer_name=desk.name,
            issuer_code=desk.code,
            procedure_code=dossier.procedure_code,
            source_code=dossier.code or dossier.reference,
        )
    return len(rows)


def issue_result(dossier: Dossier, *, actor: Actor, agency: Agency, number: int) -> Result:
    """Render, sign and store result ``number`` of ``dossier`` (code ``<code>-KQ<n>``), and
    keep it in the applicant's data store (§8.3, R45)."""
    result = _issue_result(dossier, actor=actor, agency=agency, number=number)
    documents_actions.do_keep_result_in_store(
        result,
        actor=actor,
        owner_id_number=dossier.applicant_id_number,
        procedure_code=dossier.procedure_code,
        valid_until=result_valid_until(dossier.procedure_code, result.issued_at),
    )
    return result


def _issue_result(dossier: Dossier, *, actor: Actor, agency: Agency, number: int) -> Result:
    version = dossier.procedure_version
    return documents_actions.do_issue_result(
        actor=actor,
        subject_type=SUBJECT_TYPE,
        subject_id=dossier.pk,
        result_code=f"{dossier.code}-KQ{number}",
        title=version.result_name or version.name,
        agency_code=agency.code,
        agency_name=agency.name,
        signer_name=actor.display_name,
        body_html_context={
            "agency_parent_name": agency.parent.name if agency.parent is not None else "",
            "place_name": place_name_of(agency),
            "fields": [
                (_("Mã số hồ sơ"), dossier.code),
                (_("Thủ tục"), f"{version.code} — {version.name}"),
                (_("Trường hợp"), dossier.case.name),
                (_("Tổ chức, cá nhân"), dossier.applicant_name),
                (_("Địa chỉ"), dossier.applicant_address),
            ],
            "paragraphs": [_("Kết quả giải quyết thủ tục hành chính đối với hồ sơ nêu trên.")],
        },
        holder_name=dossier.applicant_name,
    )
