"""What the applicant does online on their own dossier: answer a supplement request,
withdraw it, rate the handling.

Only the citizen account that filed the dossier online may act (``states.is_applicant``):
anyone else gets ``dossier.not_found``, the same answer as for an unknown id, so that
dossier ids cannot be probed. A supplement answer is the online form of the desk's
"supplement received": at reception the dossier goes back to the desk's check (1), in
processing it returns to the agency (5 → 4) and the clock restarts exactly as when the
desk records it (R32). The documents given are uploads (checked by ``documents``) or
items of the applicant's data store, recorded with the national reuse flags.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua.documents import actions as documents_actions
from motcua.documents import selectors as documents_selectors
from motcua.documents import types, uploads
from motcua.documents.models import DataStoreItem
from motcua.dossiers.actions._common import (
    check_transition,
    close_open_handover,
    lock,
    move,
    record_event,
    require_text,
)
from motcua.dossiers.actions.closing import issue_withdrawal_notice
from motcua.dossiers.actions.inputs import SuppliedDocument
from motcua.dossiers.actions.processing import resume_after_supplement
from motcua.dossiers.applicant_selectors import open_supplement_request
from motcua.dossiers.enums import DocumentSource, ReuseKind, Satisfaction
from motcua.dossiers.errors import (
    DossierNotFound,
    EmptySupplementAnswer,
    InvalidRating,
    RatingAlreadyGiven,
    RatingNotOpen,
    SupplementAnswerIncomplete,
    UnknownDocument,
    WithdrawalAfterResult,
)
from motcua.dossiers.models import Dossier, DossierDocument, Rating, SupplementRequest
from motcua.dossiers.models.parts import CRITERIA_COUNT
from motcua.dossiers.paperwork import SUBJECT_TYPE
from motcua.dossiers.states import DossierState, is_applicant
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import ApplicationError, InvalidInput
from motcua.workflow.errors import WrongState

__all__ = [
    "check_applicant",
    "do_answer_supplement",
    "do_rate_dossier",
    "do_withdraw_by_applicant",
    "store_fields",
]

_RESULT_STATES = frozenset(
    {DossierState.RESULT_AWAITING_PAYMENT, DossierState.RESULT_READY, DossierState.RETURNED}
)


def check_applicant(dossier: Dossier, actor: Actor) -> None:
    """Raise ``dossier.not_found`` unless ``actor`` is the account that filed ``dossier``."""
    if not is_applicant(dossier, actor):
        raise DossierNotFound()


def store_fields(item: DataStoreItem) -> dict[str, Any]:
    """Return a dossier document's fields for a data-store item standing in for it."""
    is_result = item.result_id is not None
    return {
        "source": DocumentSource.DATA_STORE,
        "data_store_item": item,
        "is_from_data_store": True,
        "reuse": ReuseKind.REUSED_WITH_RESULT_CODE if is_result else ReuseKind.REUSED,
        "replacement_result_code": item.source_code if is_result else "",
        "stored_file_id": item.stored_file_id,
    }


def _requested_documents(request: SupplementRequest) -> set[int]:
    return {int(item["document_id"]) for item in request.items if item.get("document_id")}


def _check_answer(
    dossier: Dossier, request: SupplementRequest, supplied: Sequence[SuppliedDocument]
) -> dict[int, DataStoreItem]:
    """Validate the answer before writing; return the data-store items picked per document."""
    rows = {d.pk: d for d in dossier.documents.select_related("procedure_document")}
    unknown = [
        s.document_id for s in supplied if s.document_id is not None and s.document_id not in rows
    ]
    if unknown:
        raise UnknownDocument(params={"document": ", ".join(str(pk) for pk in unknown)})
    given = [s for s in supplied if s.uploaded_file is not None or s.data_store_item_id]
    if not given:
        raise EmptySupplementAnswer(
            field_errors={"documents": [EmptySupplementAnswer.default_message]}
        )
    answered = {s.document_id for s in given if s.document_id is not None}
    missing = [
        rows[pk]
        for pk in sorted(_requested_documents(request))
        if pk in rows and pk not in answered
    ]
    if missing:
        raise SupplementAnswerIncomplete(
            params={"documents": "; ".join(d.name for d in missing)},
            field_errors={f"documents.{d.pk}": [d.name] for d in missing},
        )
    picks: dict[int, DataStoreItem] = {}
    now = clock.now()
    for s in given:
        # A data-store item stands in for a document of the dossier; extra papers are uploads.
        if s.data_store_item_id and s.uploaded_file is None and s.document_id is not None:
            document = rows[s.document_id].procedure_document
            try:
                item = documents_selectors.get_store_item_for(
                    dossier.applicant_id_number, s.data_store_item_id
                )
                documents_selectors.check_store_item_usable(
                    item, types.required_type(document.code, document.name), at=now
                )
            except ApplicationError as error:
                error.field_errors = {f"documents.{s.document_id}": [error.message]}
                raise
            picks[s.document_id] = item
    return picks


def _store_uploads(
    dossier: Dossier, supplied: Sequence[SuppliedDocument], actor: Actor
) -> dict[int | None, list[Any]]:
    """Store every uploaded file; raise one ``invalid_input`` listing each rejected file."""
    stored: dict[int | None, list[Any]] = {}
    errors: dict[str, list[Any]] = {}
    allowed = uploads.allowed_types_for(dossier.procedure_code)
    for index, s in enumerate(supplied):
        if s.uploaded_file is None:
            continue
        try:
            row = documents_actions.do_store_upload(
                s.uploaded_file,
                actor=actor,
                subject_type=SUBJECT_TYPE,
                subject_id=dossier.pk,
                purpose="supplement",
                allowed_types=allowed,
                max_total_bytes=uploads.max_subject_bytes(),
            )
        except ApplicationError as error:
            key = f"documents.{s.document_id}" if s.document_id is not None else f"extra.{index}"
            errors.setdefault(key, []).append(error.message)
            continue
        stored.setdefault(s.document_id, []).append(row)
    if errors:
        raise InvalidInput(
            _("Một số tệp không được nhận; xem lỗi ở từng giấy tờ."),
            code="documents.files_rejected",
            field_errors=errors,
        )
    return stored


def do_answer_supplement(
    dossier: Dossier, *, actor: Actor, supplied: Sequence[SuppliedDocument], note: str = ""
) -> SupplementRequest:
    """Answer the open supplement request online with uploads or data-store items.

    Every document the request names must be given (``dossier.supplement_answer_incomplete``
    with one field error per missing document); at least one thing must be given
    (``dossier.empty_supplement_answer``); a data-store item must be the applicant's, of
    the right type and valid (``documents.store_item_*``); rejected files are listed one
    by one (``documents.files_rejected``). At reception the dossier returns to the desk's
    check (``resubmit_online``, status 1); in processing to the agency (``supplement_online``,
    5 → 4) with ``due_at`` moved by the paused working time. Nothing is written on error.
    """
    check_applicant(dossier, actor)
    name = (
        "resubmit_online"
        if dossier.state == DossierState.RECEPTION_SUPPLEMENT
        else "supplement_online"
    )
    check_transition(dossier, actor, name)
    request = open_supplement_request(dossier)
    if request is None:
        raise WrongState(params={"state": dossier.get_state_display()})
    picks = _check_answer(dossier, request, supplied)
    text = (note or "").strip()[:2000]
    with transaction.atomic():
        stored = _store_uploads(dossier, supplied, actor)
        changed: list[int] = []
        for document_id, files in stored.items():
            if document_id is None:
                continue
            DossierDocument.objects.filter(pk=document_id).update(
                is_provided=True,
                is_electronic=True,
                stored_file=files[-1],
                source=DocumentSource.UPLOAD,
                reuse=ReuseKind.NONE,
                is_from_data_store=False,
                data_store_item=None,
                replacement_result_code="",
            )
            changed.append(document_id)
        for document_id, item in picks.items():
            if document_id not in stored:
                DossierDocument.objects.filter(pk=document_id).update(
                    is_provided=True, is_electronic=True, **store_fields(item)
                )
                changed.append(document_id)
        extra = [f.pk for f in stored.get(None, [])]
        data = {
            "supplement_request": request.pk,
            "documents": sorted(changed),
            "files": [f.pk for files in stored.values() for f in files],
            "from_data_store": sorted(item.pk for item in picks.values()),
            "extra_files": extra,
        }
        if name == "resubmit_online":
            SupplementRequest.objects.filter(pk=request.pk).update(
                fulfilled_at=clock.now(), answered_online=True, answer_note=text
            )
            move(dossier, name, actor=actor, data={**data, "note": text})
        else:
            resume_after_supplement(
                dossier,
                request,
                name,
                actor=actor,
                note=text,
                data=data,
                request_updates={"answered_online": True, "answer_note": text},
            )
        request.refresh_from_db()
    return request


def do_withdraw_by_applicant(dossier: Dossier, *, actor: Actor, reason: str) -> Dossier:
    """Withdraw the dossier at the applicant's own request, online (status 7).

    Form 05 follows when ``DOSSIER_FORM_05_ON`` says so (see ``issue_withdrawal_notice``).

    Raise ``dossier.withdrawal_after_result`` once the result is ready or returned (R53),
    ``dossier.missing_reason`` without a reason, ``wrong_state`` when it already ended.
    """
    check_applicant(dossier, actor)
    if dossier.state in _RESULT_STATES:
        raise WithdrawalAfterResult()
    check_transition(dossier, actor, "withdraw_online")
    text = require_text(reason)
    with transaction.atomic():
        now = clock.now()
        updates = {"finished_at": now} if dossier.received_at is not None else {}
        move(dossier, "withdraw_online", actor=actor, updates=updates, data={"reason": text})
        close_open_handover(dossier, at=now, note=text)
        issue_withdrawal_notice(dossier, actor=actor, reason=text, at=now)
    return dossier


def _check_criteria(criteria: Sequence[Any], satisfaction: str) -> list[int]:
    errors: dict[str, list[Any]] = {}
    values: list[int] = []
    if len(criteria) != CRITERIA_COUNT:
        errors["criteria"] = [InvalidRating.default_message]
    for index, value in enumerate(list(criteria)[:CRITERIA_COUNT], start=1):
        if isinstance(value, bool) or not isinstance(value, int) or value not in (0, 1, 2):
            errors[f"criteria.{index}"] = [_("Mỗi tiêu chí chấm 0, 1 hoặc 2 điểm.")]
        else:
            values.append(value)
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = [_("Vui lòng chọn mức độ hài lòng.")]
    if errors:
        raise InvalidRating(field_errors=errors)
    return values


def do_rate_dossier(
    dossier: Dossier,
    *,
    actor: Actor,
    criteria: Sequence[int],
    satisfaction: str,
    comment: str = "",
) -> Rating:
    """Record the applicant's rating of a returned dossier (§11.1): once, never changed.

    ``criteria``: nine scores of 0–2 in the order of §11.1; ``satisfaction``: a
    ``Satisfaction`` value. Raise ``dossier.not_found`` for anyone but the applicant,
    ``dossier.rating_not_open`` before the result was returned,
    ``dossier.invalid_rating`` for bad scores, ``dossier.rating_already_given`` the second
    time. Emits ``dossiers.dossier.rated`` with ``criteria``, ``total``, ``satisfaction``
    and ``rated_at`` (ISO-8601, UTC) for the service-quality index.
    """
    check_applicant(dossier, actor)
    if dossier.state != DossierState.RETURNED:
        raise RatingNotOpen()
    values = _check_criteria(criteria, satisfaction)
    if Rating.objects.filter(dossier=dossier).exists():
        raise RatingAlreadyGiven()
    with transaction.atomic():
        locked = lock(dossier)
        now = clock.now()
        total = sum(values)
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    dossier=locked,
                    criteria=values,
                    total=total,
                    satisfaction=satisfaction,
                    comment=(comment or "").strip()[:2000],
                    rated_at=now,
                    rated_by=actor.ref,
                )
        except IntegrityError:
            raise RatingAlreadyGiven() from None
        record_event(
            locked,
            "rated",
            actor=actor,
            data={
                "criteria": values,
                "total": total,
                "satisfaction": satisfaction,
                "rated_at": now.astimezone(dt.UTC).isoformat(),
            },
        )
    return rating
