"""The write path of the citizen portal: drafts of online applications, and their submission.

Every action takes the citizen ``actor`` and touches only that citizen's drafts
(``portal.draft_not_found`` for anyone else's, as for an unknown id). A draft is saved
at every step; ``do_submit_draft`` turns it into a dossier in status 1 through
``dossiers.actions.do_submit_online_dossier`` and links the two in the same
transaction, with the draft row locked, so that a double click, the back button or a
second tab cannot create a second dossier (``portal.draft_already_submitted``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.audit import actions as audit
from motcua.catalog.enums import OnlineLevel
from motcua.catalog.selectors import get_version_in_force
from motcua.documents import actions as documents_actions
from motcua.documents import selectors as documents_selectors
from motcua.documents import types, uploads
from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.actions import ApplicantData, ProvidedDocument, Submission
from motcua.dossiers.enums import ApplicantKind, DeliveryChannel, DocumentSource, SubmissionChannel
from motcua.dossiers.models import Dossier
from motcua.identity.models import Citizen, CitizenKind
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import InvalidInput
from motcua.portal import selectors
from motcua.portal.errors import (
    DraftAlreadySubmitted,
    DraftIncomplete,
    NotOnline,
    ProcedureChanged,
    UnknownDraftDocument,
)
from motcua.portal.models import SUBJECT_TYPE, Draft
from motcua.portal.selectors import DocumentMode

__all__ = [
    "FORM_FIELDS",
    "do_attach_draft_file",
    "do_choose_draft_case",
    "do_clear_draft_document",
    "do_delete_draft",
    "do_pick_draft_store_item",
    "do_save_draft_form",
    "do_start_draft",
    "do_submit_draft",
]

AGGREGATE = "portal.draft"
# The e-form fields the applicant fills in (name, birth date and ID come from the e-ID).
FORM_FIELDS = ("request", "phone", "email", "address", "return_channel")
_RETURN_CHANNELS = (DeliveryChannel.ONLINE, DeliveryChannel.DESK, DeliveryChannel.POST)


def _record(draft: Draft, action: str, actor: Actor, data: dict[str, Any] | None = None) -> None:
    audit.record(
        actor=actor,
        action=f"{AGGREGATE}.{action}",
        aggregate_type=AGGREGATE,
        aggregate_id=draft.pk,
        data=data or {},
    )


def _touch(draft: Draft, **values: Any) -> None:
    values["updated_at"] = clock.now()
    Draft.objects.filter(pk=draft.pk, dossier__isnull=True).update(**values)
    for name, value in values.items():
        setattr(draft, name, value)


def _open(draft: Draft, actor: Actor) -> Draft:
    """Return the actor's draft, re-read under a lock; refuse a submitted one."""
    locked = selectors.get_draft_for(actor, draft.pk)
    locked = (
        Draft.objects.select_for_update(of=("self",))
        .select_related("procedure_version", "case", "competent_agency")
        .get(pk=locked.pk)
    )
    if locked.dossier_id is not None:
        raise DraftAlreadySubmitted(params={"reference": _reference_of(locked)})
    return locked


def _reference_of(draft: Draft) -> str:
    if draft.dossier_id is None:
        return ""
    dossier = Dossier.objects.filter(pk=draft.dossier_id).only("code", "reference").first()
    return str(dossier) if dossier is not None else ""


def do_start_draft(procedure_code: str, *, actor: Actor) -> Draft:
    """Start a draft for the version of ``procedure_code`` in force, pre-filled from the e-ID.

    Raise ``portal.citizen_required`` for anyone but a citizen, ``catalog.*`` for an
    unknown procedure or one without a version in force, ``portal.not_online`` when the
    procedure is not offered online. A version with a single case has it chosen already.
    """
    citizen = selectors.get_citizen(actor)
    version = get_version_in_force(procedure_code)
    if version.online_level == OnlineLevel.NONE:
        raise NotOnline(params={"code": version.code})
    cases = selectors.list_cases(version)
    with transaction.atomic():
        draft = Draft.objects.create(
            owner_id=citizen.pk,
            procedure_version=version,
            procedure_code=version.code,
            case=cases[0] if len(cases) == 1 else None,
            form={
                "phone": citizen.phone,
                "email": citizen.email,
                "address": citizen.address,
                "request": "",
                "return_channel": DeliveryChannel.ONLINE.value,
            },
        )
        _record(draft, "start", actor, {"procedure_code": version.code})
    return draft


def do_choose_draft_case(
    draft: Draft, *, actor: Actor, case_code: str, agency_id: int | None = None
) -> Draft:
    """Choose the case (and, where the applicant chooses, the competent agency).

    Raise ``invalid_input`` for a case or agency the version does not offer. Changing the
    case keeps the documents chosen for documents common to every case.
    """
    with transaction.atomic():
        locked = _open(draft, actor)
        version = locked.procedure_version
        case = next((c for c in selectors.list_cases(version) if c.code == case_code), None)
        if case is None:
            raise InvalidInput(
                code="portal.unknown_case",
                field_errors={"case_code": [_("Vui lòng chọn một trường hợp.")]},
            )
        choices = selectors.agency_choices(version, case)
        agency = None
        if choices:
            agency = next((a for a in choices if a.pk == agency_id), None)
            if agency is None:
                raise InvalidInput(
                    code="portal.unknown_agency",
                    field_errors={"agency_id": [_("Vui lòng chọn cơ quan giải quyết hồ sơ.")]},
                )
        _touch(locked, case=case, competent_agency=agency)
        _record(locked, "choose_case", actor, {"case": case.code, "agency": agency_id})
    return locked


def do_save_draft_form(draft: Draft, *, actor: Actor, values: dict[str, str]) -> Draft:
    """Save the e-form (``FORM_FIELDS``); the identity fields are never taken from input.

    Raise ``invalid_input`` (field errors) for a missing request, an over-long value or
    an unknown return channel; nothing is saved then.
    """
    cleaned = {name: str(values.get(name, "") or "").strip() for name in FORM_FIELDS}
    errors: dict[str, list[Any]] = {}
    if not cleaned["request"]:
        errors["request"] = [_("Vui lòng ghi rõ nội dung đề nghị.")]
    if len(cleaned["request"]) > 4000:
        errors["request"] = [_("Nội dung đề nghị dài quá 4.000 ký tự.")]
    for name, limit in (("phone", 20), ("email", 254), ("address", 500)):
        if len(cleaned[name]) > limit:
            errors[name] = [_("Giá trị quá dài.")]
    if cleaned["return_channel"] not in _RETURN_CHANNELS:
        errors["return_channel"] = [_("Vui lòng chọn hình thức nhận kết quả.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    with transaction.atomic():
        locked = _open(draft, actor)
        _touch(locked, form=cleaned)
        _record(locked, "save_form", actor)
    return locked


def _attachable(draft: Draft, procedure_document_id: int) -> Any:
    document = next(
        (d for d in selectors.applicable_documents(draft) if d.pk == procedure_document_id), None
    )
    if document is None or selectors.mode_of(document) != DocumentMode.ATTACH:
        raise UnknownDraftDocument()
    return document


def _replaced_file(draft: Draft, procedure_document_id: int) -> tuple[int, ...]:
    choice = (draft.documents or {}).get(str(procedure_document_id), {})
    return (int(choice["file"]),) if "file" in choice else ()


def do_attach_draft_file(
    draft: Draft, *, actor: Actor, procedure_document_id: int, uploaded_file: Any
) -> Draft:
    """Upload the file for one required document of the draft (replacing an earlier one).

    The file is checked by ``documents.do_store_upload``: size per file and per dossier,
    type by content among the kinds the procedure allows, antivirus when configured
    (``documents.*`` errors, nothing written). ``portal.unknown_document`` for a document
    the draft does not ask for.
    """
    with transaction.atomic():
        locked = _open(draft, actor)
        document = _attachable(locked, procedure_document_id)
        replaced = _replaced_file(locked, document.pk)
        stored = documents_actions.do_store_upload(
            uploaded_file,
            actor=actor,
            subject_type=SUBJECT_TYPE,
            subject_id=locked.pk,
            purpose=f"document:{document.pk}",
            allowed_types=uploads.allowed_types_for(locked.procedure_code),
            max_total_bytes=uploads.max_subject_bytes(),
            replacing=replaced,
        )
        chosen = dict(locked.documents or {})
        chosen[str(document.pk)] = {"file": stored.pk}
        _touch(locked, documents=chosen)
        if replaced:
            documents_actions.do_delete_stored_files(
                SUBJECT_TYPE, locked.pk, actor=actor, pks=replaced
            )
        _record(locked, "attach_file", actor, {"document": document.pk, "file": stored.pk})
    return locked


def do_pick_draft_store_item(
    draft: Draft, *, actor: Actor, procedure_document_id: int, item_id: int
) -> Draft:
    """Use an item of the applicant's data store for one required document.

    Raise ``documents.store_item_not_found`` for an item of someone else's store (or none),
    ``documents.store_item_wrong_type`` / ``documents.store_item_expired`` for one that
    cannot stand in for this document. A file uploaded earlier for it is deleted.
    """
    citizen = selectors.get_citizen(actor)
    with transaction.atomic():
        locked = _open(draft, actor)
        document = _attachable(locked, procedure_document_id)
        item = documents_selectors.get_store_item_for(selectors.owner_key(citizen), item_id)
        requirement_type = types.required_type(document.code, document.name)
        documents_selectors.check_store_item_usable(item, requirement_type, at=clock.now())
        replaced = _replaced_file(locked, document.pk)
        chosen = dict(locked.documents or {})
        chosen[str(document.pk)] = {"item": item.pk}
        _touch(locked, documents=chosen)
        if replaced:
            documents_actions.do_delete_stored_files(
                SUBJECT_TYPE, locked.pk, actor=actor, pks=replaced
            )
        _record(locked, "pick_store_item", actor, {"document": document.pk, "item": item.pk})
    return locked


def do_clear_draft_document(draft: Draft, *, actor: Actor, procedure_document_id: int) -> Draft:
    """Remove what was chosen for one document (its uploaded file is deleted)."""
    with transaction.atomic():
        locked = _open(draft, actor)
        document = _attachable(locked, procedure_document_id)
        replaced = _replaced_file(locked, document.pk)
        chosen = dict(locked.documents or {})
        chosen.pop(str(document.pk), None)
        _touch(locked, documents=chosen)
        if replaced:
            documents_actions.do_delete_stored_files(
                SUBJECT_TYPE, locked.pk, actor=actor, pks=replaced
            )
        _record(locked, "clear_document", actor, {"document": document.pk})
    return locked


def do_delete_draft(draft: Draft, *, actor: Actor) -> None:
    """Delete a draft that was not submitted, and the files uploaded for it."""
    with transaction.atomic():
        locked = _open(draft, actor)
        documents_actions.do_delete_stored_files(SUBJECT_TYPE, locked.pk, actor=actor)
        _record(locked, "delete", actor, {"procedure_code": locked.procedure_code})
        Draft.objects.filter(pk=locked.pk, dossier__isnull=True).delete()


def _applicant(citizen: Citizen, form: dict[str, Any]) -> ApplicantData:
    is_business = citizen.kind == CitizenKind.BUSINESS
    return ApplicantData(
        name=citizen.full_name,
        id_number=selectors.owner_key(citizen),
        kind=ApplicantKind.ORGANISATION if is_business else ApplicantKind.PERSON,
        birth_year=None if is_business or citizen.birth_date is None else citizen.birth_date.year,
        phone=str(form.get("phone", "")),
        email=str(form.get("email", "")),
        address=str(form.get("address", "")),
    )


def _check_complete(draft: Draft, requirements: list[selectors.Requirement]) -> None:
    errors: dict[str, list[Any]] = {}
    if draft.case_id is None:
        errors["case_code"] = [_("Chưa chọn trường hợp.")]
    if not str((draft.form or {}).get("request", "")).strip():
        errors["request"] = [_("Chưa điền tờ khai (nội dung đề nghị).")]
    for requirement in requirements:
        if requirement.is_missing:
            errors[f"documents.{requirement.document.pk}"] = [requirement.document.name]
    if errors:
        missing = "; ".join(str(messages[0]) for messages in errors.values())
        raise DraftIncomplete(params={"missing": missing}, field_errors=errors)


def _provided(requirement: selectors.Requirement) -> ProvidedDocument | None:
    document = requirement.document
    given = ProvidedDocument(
        document.pk,
        originals=document.originals,
        certified_copies=document.certified_copies,
        photocopies=document.photocopies,
    )
    if requirement.mode == DocumentMode.E_FORM:
        return replace(given, source=DocumentSource.E_FORM)
    if requirement.mode == DocumentMode.DATABASE:
        return replace(
            given, source=DocumentSource.DATABASE, data_source_code=document.data_source_code
        )
    if requirement.mode == DocumentMode.PRESENT:
        return given
    if requirement.file is not None:
        return replace(given, stored_file_id=requirement.file.pk)
    if requirement.item is not None:
        return replace(given, data_store_item_id=requirement.item.pk)
    return None


def do_submit_draft(draft: Draft, *, actor: Actor) -> Dossier:
    """Submit the draft: one dossier in status 1, filed by the citizen's e-ID account.

    The applicant is the verified identity (name, personal ID or enterprise code, birth
    year), never typed input. Raise ``portal.draft_already_submitted`` the second time
    (double click, back button, another tab: the draft row is locked and checked in the
    same transaction), ``portal.draft_incomplete`` (one field error per missing item),
    ``portal.procedure_changed`` when a new version came into force, and the errors of
    ``do_submit_online_dossier``. Nothing is written on error.
    """
    citizen = selectors.get_citizen(actor)
    with transaction.atomic():
        locked = _open(draft, actor)
        version = get_version_in_force(locked.procedure_code)
        if version.pk != locked.procedure_version_id:
            raise ProcedureChanged()
        requirements = selectors.list_requirements(locked, owner=selectors.owner_key(citizen))
        _check_complete(locked, requirements)
        competent = selectors.competent_agency_of(locked)
        desk = selectors.receiving_desk_for(competent) if competent is not None else None
        if competent is None or desk is None:
            raise InvalidInput(
                code="portal.no_receiving_desk",
                message=_(
                    "Chưa xác định được nơi tiếp nhận hồ sơ; vui lòng chọn cơ quan giải quyết."
                ),
            )
        form = dict(locked.form or {})
        provided = [p for p in (_provided(r) for r in requirements) if p is not None]
        submission = Submission(
            procedure_code=locked.procedure_code,
            case_code=locked.case.code if locked.case is not None else "",
            competent_agency_id=competent.pk,
            applicant=_applicant(citizen, form),
            channel=SubmissionChannel.ONLINE_DVCQG,
            return_channel=DeliveryChannel(form.get("return_channel") or DeliveryChannel.ONLINE),
            documents=tuple(provided),
            application_form={
                "request": form.get("request", ""),
                "identity": {
                    "source": "e-id",
                    "assurance_level": citizen.assurance_level,
                    "verified_at": citizen.verified_at.isoformat(),
                },
            },
        )
        dossier = dossier_actions.do_submit_online_dossier(
            submission, actor=actor, receiving_desk=desk
        )
        now = clock.now()
        Draft.objects.filter(pk=locked.pk, dossier__isnull=True).update(
            dossier=dossier, submitted_at=now, updated_at=now
        )
        _record(locked, "submit", actor, {"dossier": dossier.pk, "reference": dossier.reference})
    return dossier
