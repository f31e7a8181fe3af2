"""Submission: a dossier arrives at a desk (counter, post) or from the portal (status 1).

The submission is validated in full before anything is written: the procedure version
in force and its case, the desk's competence (boundary-free receipt, §2.5 / R18–R19),
the applicant's and submitter's identification (§13, R13–R14) and the documents against
the version's published list. The dossier is then created in ``SUBMITTED`` (national
status 1) with one row per required document; the desk decides next (``reception``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import AdminUnit, AdminUnitLevel, Agency
from motcua.catalog.models import ProcedureCase, ProcedureDocument, ProcedureVersion
from motcua.catalog.selectors import get_version_in_force, get_version_parts, is_boundary_free
from motcua.documents import selectors as documents_selectors
from motcua.documents import types
from motcua.documents.forms import rule_set_for
from motcua.documents.models import StoredFile
from motcua.dossiers.actions._common import record_event
from motcua.dossiers.actions.inputs import (
    ApplicantData,
    ProvidedDocument,
    Submission,
    SubmitterData,
)
from motcua.dossiers.enums import (
    ApplicantKind,
    DigitisationExemption,
    DocumentSource,
    ReuseKind,
    SubmissionChannel,
    SubmitterKind,
)
from motcua.dossiers.errors import (
    InvalidApplicant,
    InvalidPersonalId,
    NotCompetent,
    OutOfScope,
    UnknownDocument,
)
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.personal_ids import classify_id_number
from motcua.dossiers.states import DESK_ROLES, DossierState, national_status_of
from motcua.identity.roles import Role
from motcua.kernel import clock
from motcua.kernel.actors import Actor, ActorKind
from motcua.kernel.errors import ApplicationError, InvalidInput
from motcua.workflow.errors import TransitionNotAllowed

__all__ = ["check_competence", "do_register_submission", "do_submit_online_dossier"]

_DESK_CHANNELS = frozenset({SubmissionChannel.DIRECT, SubmissionChannel.POSTAL_PUBLIC})
_ONLINE_CHANNELS = frozenset({SubmissionChannel.ONLINE_DVCQG, SubmissionChannel.ONLINE_VNEID})


def _province_of(agency: Agency) -> AdminUnit | None:
    unit = agency.admin_unit
    while unit is not None and unit.level != AdminUnitLevel.PROVINCE:
        unit = unit.parent
    return unit


def check_competence(desk: Agency, competent: Agency, procedure_code: str) -> bool:
    """Return whether ``desk`` may receive for ``competent``; raise ``NotCompetent`` if not.

    Returns ``True`` when the receipt is boundary-free (another unit of the province).
    A desk receives for the agencies of its own administrative unit; a provincial desk
    for any agency of its province (R18); a desk for another unit of its province only
    when the procedure is on the province's boundary-free list that day (R19).
    """
    if desk.admin_unit_id is not None and desk.admin_unit_id == competent.admin_unit_id:
        return False
    desk_province, competent_province = _province_of(desk), _province_of(competent)
    if desk_province is not None and desk_province == competent_province:
        if desk.admin_unit_id == desk_province.pk:
            return False
        if is_boundary_free(procedure_code, desk_province.code):
            return True
    raise NotCompetent(params={"agency": competent.name})


def _check_people(applicant: ApplicantData, submitter: SubmitterData) -> dict[str, str]:
    """Validate the applicant and submitter; return the id types; raise on bad input."""
    errors: dict[str, list[object]] = {}
    if not applicant.name.strip():
        errors["applicant.name"] = [_("Phải nhập họ tên (tên tổ chức) người yêu cầu.")]
    types: dict[str, str] = {}
    id_error: InvalidPersonalId | None = None
    try:
        types["applicant"] = classify_id_number(
            applicant.id_number,
            is_organisation=applicant.kind == ApplicantKind.ORGANISATION,
            birth_year=applicant.birth_year,
            is_female=applicant.is_female,
        )
    except InvalidPersonalId as exc:
        id_error = exc
        errors["applicant.id_number"] = [exc.message]
    if submitter.kind != SubmitterKind.SELF:
        if not submitter.name.strip():
            errors["submitter.name"] = [_("Phải nhập họ tên người nộp hồ sơ.")]
        if submitter.kind == SubmitterKind.AUTHORISED:
            if not submitter.authorisation_note.strip():
                errors["submitter.authorisation_note"] = [
                    _("Nộp theo ủy quyền phải có văn bản ủy quyền.")
                ]
            if not submitter.id_number.strip():
                errors["submitter.id_number"] = [
                    _("Phải nhập số định danh của người được ủy quyền.")
                ]
        if submitter.id_number.strip():
            try:
                types["submitter"] = classify_id_number(submitter.id_number)
            except InvalidPersonalId as exc:
                errors["submitter.id_number"] = [exc.message]
    if errors:
        if id_error is not None and set(errors) == {"applicant.id_number"}:
            raise InvalidPersonalId(params=id_error.params, field_errors=errors)  # type: ignore[arg-type]
        raise InvalidApplicant(field_errors=errors)  # type: ignore[arg-type]
    return types


def _case_of(version: ProcedureVersion, case_code: str) -> ProcedureCase:
    cases = get_version_parts(version).cases
    if case_code:
        for case in cases:
            if case.code == case_code:
                return case
    elif len(cases) == 1:
        return cases[0]
    raise InvalidInput(
        code="dossier.unknown_case",
        field_errors={"case_code": [_("Phải chọn một trường hợp của thủ tục.")]},
    )


def _competent_agency(
    version: ProcedureVersion, case: ProcedureCase, agency_id: int | None, desk: Agency
) -> Agency:
    """Return the chosen agency, else the case's first processing agency, else the one
    implementing agency (or the one of the desk's own administrative unit)."""
    if agency_id is not None:
        agency = Agency.objects.select_related("admin_unit").filter(pk=agency_id).first()
        if agency is not None:
            return agency
    else:
        step_agencies = [
            step.agency
            for step in get_version_parts(version).steps_of(case)
            if step.agency is not None and not step.agency.is_one_stop_desk
        ]
        if step_agencies:
            return step_agencies[0]
        implementing = list(version.implementing_agencies.select_related("admin_unit"))
        if len(implementing) == 1:
            return implementing[0]
        local = [a for a in implementing if a.admin_unit_id == desk.admin_unit_id]
        if len(local) == 1:
            return local[0]
    raise InvalidInput(
        code="dossier.competent_agency_required",
        field_errors={"competent_agency_id": [_("Phải chọn cơ quan có thẩm quyền giải quyết.")]},
    )


def _applicable_documents(
    version: ProcedureVersion, case: ProcedureCase
) -> list[ProcedureDocument]:
    return get_version_parts(version).documents_of(case)


def _online_attachment(
    document: ProcedureDocument, given: ProvidedDocument, owner: str, at: dt.datetime
) -> dict[str, Any]:
    """Return the document row's fields for what an online applicant gave for ``document``.

    An item of the data store must be the applicant's own (``documents.store_item_not_found``
    otherwise, as for an unknown one), of the document's type and still valid
    (``documents.store_item_wrong_type`` / ``documents.store_item_expired``); it is
    recorded as reused, taken from the data store, with the result code it replaces.
    """
    field = f"documents.{document.pk}"
    if given.data_store_item_id is not None:
        try:
            item = documents_selectors.get_store_item_for(owner, given.data_store_item_id)
            documents_selectors.check_store_item_usable(
                item, types.required_type(document.code, document.name), at=at
            )
        except ApplicationError as error:
            error.field_errors = {field: [error.message]}
            raise
        is_result = item.result_id is not None
        return {
            "source": DocumentSource.DATA_STORE,
            "data_store_item": item,
            "is_from_data_store": True,
            "reuse": ReuseKind.REUSED_WITH_RESULT_CODE if is_result else ReuseKind.REUSED,
            "replacement_result_code": item.source_code if is_result else "",
            "stored_file_id": item.stored_file_id,
        }
    if given.stored_file_id is not None:
        return {"source": DocumentSource.UPLOAD, "stored_file_id": given.stored_file_id}
    if given.source == DocumentSource.DATABASE:
        return {
            "source": DocumentSource.DATABASE,
            "data_source_code": given.data_source_code or document.data_source_code,
        }
    if given.source == DocumentSource.E_FORM:
        return {"source": DocumentSource.E_FORM}
    return {}


def _check_files_exist(attachments: dict[int, dict[str, Any]]) -> None:
    wanted = {
        values["stored_file_id"]
        for values in attachments.values()
        if values.get("source") == DocumentSource.UPLOAD
    }
    if wanted and StoredFile.objects.filter(pk__in=wanted).count() != len(wanted):
        raise UnknownDocument(params={"document": ", ".join(str(pk) for pk in sorted(wanted))})


def _create(
    submission: Submission,
    *,
    actor: Actor,
    desk: Agency,
    competent: Agency,
    version: ProcedureVersion,
    case: ProcedureCase,
) -> Dossier:
    types = _check_people(submission.applicant, submission.submitter)
    documents = _applicable_documents(version, case)
    by_id = {document.pk: document for document in documents}
    unknown = [
        p.procedure_document_id
        for p in submission.documents
        if p.procedure_document_id not in by_id
    ]
    if unknown:
        raise UnknownDocument(params={"document": ", ".join(str(pk) for pk in unknown)})
    provided = {p.procedure_document_id: p for p in submission.documents}
    now = clock.now()
    applicant, submitter = submission.applicant, submission.submitter
    is_online = submission.channel in _ONLINE_CHANNELS
    attachments = {
        document.pk: _online_attachment(document, provided[document.pk], applicant.id_number, now)
        for document in documents
        if is_online and document.pk in provided
    }
    _check_files_exist(attachments)
    is_citizen = actor.kind is ActorKind.CITIZEN
    dossier = Dossier.objects.create(
        reference=secrets.token_hex(6).upper(),
        procedure_version=version,
        case=case,
        procedure_code=version.code,
        receiving_desk=desk,
        competent_agency=competent,
        current_agency=desk,
        state=DossierState.SUBMITTED,
        national_status=national_status_of(DossierState.SUBMITTED),
        channel=submission.channel,
        return_channel=submission.return_channel,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_id_type=types["applicant"],
        applicant_id_number=applicant.id_number.strip(),
        applicant_birth_year=applicant.birth_year,
        applicant_phone=applicant.phone.strip(),
        applicant_email=applicant.email.strip(),
        applicant_address=applicant.address.strip(),
        submitter_kind=submitter.kind,
        submitter_name=submitter.name.strip(),
        submitter_id_type=types.get("submitter", ""),
        submitter_id_number=submitter.id_number.strip(),
        submitter_phone=submitter.phone.strip(),
        authorisation_note=submitter.authorisation_note.strip(),
        submitted_at=now,
        rule_set=rule_set_for(None, on=now),
        # A citizen account exists only through the national e-ID (identity.Citizen).
        applicant_user_id=actor.user_id if is_citizen else None,
        is_eid_authenticated=is_citizen,
        application_form=dict(submission.application_form),
    )
    rows = []
    for position, document in enumerate(documents, start=1):
        given = provided.get(document.pk)
        exemption = ""
        if document.is_present_only:
            exemption = DigitisationExemption.PRESENT_ONLY
        elif is_online:
            exemption = DigitisationExemption.SUBMITTED_ONLINE
        rows.append(
            DossierDocument(
                dossier=dossier,
                procedure_document=document,
                position=position,
                name=document.name,
                is_mandatory=document.is_mandatory,
                is_provided=given is not None,
                originals=given.originals if given else 0,
                certified_copies=given.certified_copies if given else 0,
                photocopies=given.photocopies if given else 0,
                is_electronic=is_online and given is not None,
                exemption=exemption,
                **attachments.get(document.pk, {}),
            )
        )
    DossierDocument.objects.bulk_create(rows)
    record_event(
        dossier,
        "submit",
        actor=actor,
        data={
            "to": DossierState.SUBMITTED,
            "national_status": dossier.national_status,
            "channel": dossier.channel,
            "procedure_code": version.code,
            "receiving_desk": desk.code,
            "competent_agency": competent.code,
        },
    )
    return dossier


def do_register_submission(desk: Agency, *, actor: Actor, submission: Submission) -> Dossier:
    """Register a dossier handed in at ``desk`` (counter or post), in ``SUBMITTED``.

    ``actor`` must be desk staff of ``desk``. Raise ``TransitionNotAllowed`` /
    ``OutOfScope`` for anyone else, ``dossier.not_competent`` when the desk may not receive
    for the competent agency, ``catalog.*`` when the procedure has no version in force,
    ``dossier.invalid_applicant`` / ``dossier.invalid_personal_id`` /
    ``dossier.unknown_document`` / ``dossier.unknown_case`` for bad input. Nothing is
    written then. The decision (receive, supplement, refuse) is a separate action;
    ``do_receive_at_desk`` does both for a complete dossier.
    """
    if not actor.has_role(*DESK_ROLES):
        raise TransitionNotAllowed(params={"transition": _("Tiếp nhận hồ sơ")})
    if not (actor.is_system or actor.is_superuser or actor.agency_id == desk.pk):
        raise OutOfScope(params={"agency": desk.name})
    if not desk.is_one_stop_desk:
        raise InvalidInput(
            code="dossier.not_a_desk",
            message=_("%(agency)s không phải là bộ phận một cửa."),
            params={"agency": desk.name},
        )
    if submission.channel not in _DESK_CHANNELS:
        raise InvalidInput(
            code="dossier.wrong_channel",
            field_errors={
                "channel": [_("Tại bộ phận một cửa chỉ nhận hồ sơ trực tiếp hoặc qua bưu chính.")]
            },
        )
    version = get_version_in_force(submission.procedure_code)
    with transaction.atomic():
        case = _case_of(version, submission.case_code)
        competent = _competent_agency(version, case, submission.competent_agency_id, desk)
        check_competence(desk, competent, version.code)
        return _create(
            submission, actor=actor, desk=desk, competent=competent, version=version, case=case
        )


def do_submit_online_dossier(
    submission: Submission, *, actor: Actor, receiving_desk: Agency
) -> Dossier:
    """Record an online dossier (national portal, VNeID) arriving in status 1.

    ``actor`` is the portal integration (system or API client) or the citizen;
    ``receiving_desk`` the one-stop desk that will check and receive it. Same validation
    and errors as ``do_register_submission``; the channel must be an online one. When
    the actor is a citizen, the dossier records their account and the e-ID flag (every
    citizen account is verified by the national e-ID), and the documents may be stored
    files, data-store items (``documents.store_item_*`` errors) or data (see
    ``ProvidedDocument``).
    """
    if actor.is_official and not actor.has_role(Role.SYSTEM_ADMIN, *DESK_ROLES):
        raise TransitionNotAllowed(params={"transition": _("Nộp hồ sơ trực tuyến")})
    if submission.channel not in _ONLINE_CHANNELS:
        raise InvalidInput(
            code="dossier.wrong_channel",
            field_errors={"channel": [_("Hồ sơ trực tuyến phải có hình thức nộp trực tuyến.")]},
        )
    version = get_version_in_force(submission.procedure_code)
    with transaction.atomic():
        case = _case_of(version, submission.case_code)
        competent = _competent_agency(version, case, submission.competent_agency_id, receiving_desk)
        check_competence(receiving_desk, competent, version.code)
        return _create(
            submission,
            actor=actor,
            desk=receiving_desk,
            competent=competent,
            version=version,
            case=case,
        )
