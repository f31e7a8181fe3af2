"""``/api/v1/citizen``: the citizen's operations — drafts and their submission, "My
dossiers", the answer to a supplement request, withdrawal, rating, the data store.

Authentication is the Django session, as for the rest of the API (the citizen logged in
with the national e-ID). Every operation runs the same action as the portal pages, with
the same rules and problem+json errors; another citizen's dossier, draft or data-store
item answers 404, as an unknown id does.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.security import django_auth

from motcua.documents import selectors as documents_selectors
from motcua.dossiers import actions as dossier_actions
from motcua.dossiers import applicant_selectors as mine
from motcua.dossiers.actions import SuppliedDocument
from motcua.dossiers.models import Dossier
from motcua.dossiers.paperwork import SUBJECT_TYPE
from motcua.identity.selectors import actor_from_request
from motcua.kernel.actors import Actor
from motcua.portal import actions, selectors
from motcua.portal.schemas import (
    CitizenDossierDetailOut,
    CitizenDossierOut,
    CitizenDossierPage,
    DraftCreateIn,
    DraftOut,
    DraftUpdateIn,
    RatingIn,
    StoreItemIn,
    StoreItemOut,
    WithdrawIn,
)
from motcua.portal.views.mine import CITIZEN_FORMS

__all__ = ["router"]

router = Router(tags=["citizen"], auth=django_auth)


def _citizen(request: HttpRequest) -> Actor:
    actor = actor_from_request(request)
    selectors.get_citizen(actor)  # portal.citizen_required for anyone else
    return actor


def _dossier(request: HttpRequest, dossier_id: int) -> tuple[Dossier, Actor]:
    actor = _citizen(request)
    return mine.get_applicant_dossier(actor, dossier_id), actor


def _detail(dossier: Dossier) -> CitizenDossierDetailOut:
    has_rating = hasattr(dossier, "rating")
    base = CitizenDossierOut.build(dossier, has_rating=has_rating).dict()
    request = mine.open_supplement_request(dossier)
    rating = dossier.rating if has_rating else None
    results = documents_selectors.list_results(subject_type=SUBJECT_TYPE, subject_id=dossier.pk)
    forms = documents_selectors.list_issued_documents(
        subject_type=SUBJECT_TYPE, subject_id=dossier.pk
    ).filter(kind__in=CITIZEN_FORMS)
    values: dict[str, Any] = dict(
        base,
        documents=[
            {
                "id": d.pk,
                "name": d.name,
                "is_provided": d.is_provided,
                "source": d.source,
                "reuse": d.reuse,
                "is_from_data_store": d.is_from_data_store,
                "replacement_result_code": d.replacement_result_code,
                "file_id": d.stored_file_id,
            }
            for d in dossier.documents.order_by("position", "id")
        ],
        supplement=(
            {"stage": request.stage, "requested_at": request.requested_at, "items": request.items}
            if request is not None
            else None
        ),
        fees=list(dossier.fees),
        fee_total=dossier.fee_total,
        paid_at=dossier.paid_at,
        results=[
            {
                "id": r.pk,
                "title": f"{r.title} ({r.code})",
                "issued_at": r.issued_at,
                "download_url": reverse("portal:result", args=[dossier.pk, r.pk]),
            }
            for r in results
        ],
        forms=[
            {
                "id": f.pk,
                "title": str(f.get_kind_display()),
                "issued_at": f.issued_at,
                "download_url": reverse("portal:form", args=[dossier.pk, f.pk]),
            }
            for f in forms
        ],
        history=[{"at": e.at, "label": e.label} for e in mine.list_applicant_history(dossier)],
        rating=(
            {
                "criteria": rating.criteria,
                "total": rating.total,
                "satisfaction": rating.satisfaction,
                "rated_at": rating.rated_at,
            }
            if rating is not None
            else None
        ),
        can_withdraw=mine.can_withdraw(dossier),
    )
    return CitizenDossierDetailOut.model_validate(values)


# --- my dossiers ---------------------------------------------------------------------


@router.get("/dossiers", response=CitizenDossierPage, url_name="citizen_dossiers")
def list_my_dossiers(
    request: HttpRequest, cursor: str | None = None, limit: int = Query(20, ge=1, le=50)
) -> dict[str, Any]:
    """Return the dossiers the citizen filed online, newest first (keyset ``cursor``)."""
    page = mine.list_applicant_dossiers(_citizen(request), cursor=cursor, limit=limit)
    return {
        "items": [CitizenDossierOut.build(d, has_rating=d.has_rating) for d in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/dossiers/{dossier_id}", response=CitizenDossierDetailOut, url_name="citizen_dossier")
def get_my_dossier(request: HttpRequest, dossier_id: int) -> CitizenDossierDetailOut:
    """Return one of the citizen's dossiers with what it asks now, its files and history."""
    dossier, _actor = _dossier(request, dossier_id)
    return _detail(dossier)


@router.post("/dossiers/{dossier_id}/supplement", response=CitizenDossierDetailOut)
def answer_supplement(
    request: HttpRequest,
    dossier_id: int,
    document_ids: Form[list[int]] = None,  # type: ignore[assignment]
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    store_document_ids: Form[list[int]] = None,  # type: ignore[assignment]
    store_item_ids: Form[list[int]] = None,  # type: ignore[assignment]
    note: Form[str] = "",
) -> CitizenDossierDetailOut:
    """Answer the open supplement request (multipart): ``files[i]`` is the new file for the
    dossier document ``document_ids[i]`` (an extra paper when the id is 0);
    ``store_item_ids[i]`` an item of the data store for ``store_document_ids[i]``."""
    dossier, actor = _dossier(request, dossier_id)
    uploads = list(files or [])
    ids = list(document_ids or [])
    supplied = [
        SuppliedDocument(ids[i] if i < len(ids) and ids[i] else None, uploaded_file=f)
        for i, f in enumerate(uploads)
    ]
    picks = zip(store_document_ids or [], store_item_ids or [], strict=False)
    supplied += [SuppliedDocument(d, data_store_item_id=i) for d, i in picks]
    dossier_actions.do_answer_supplement(dossier, actor=actor, supplied=supplied, note=note)
    return _detail(mine.get_applicant_dossier(actor, dossier_id))


@router.post("/dossiers/{dossier_id}/withdraw", response=CitizenDossierDetailOut)
def withdraw_my_dossier(
    request: HttpRequest, dossier_id: int, payload: WithdrawIn
) -> CitizenDossierDetailOut:
    """Withdraw the dossier (status 7); refused once the result is ready."""
    dossier, actor = _dossier(request, dossier_id)
    dossier_actions.do_withdraw_by_applicant(dossier, actor=actor, reason=payload.reason)
    return _detail(mine.get_applicant_dossier(actor, dossier_id))


@router.post("/dossiers/{dossier_id}/rating", response={201: CitizenDossierDetailOut})
def rate_my_dossier(
    request: HttpRequest, dossier_id: int, payload: RatingIn
) -> Status[CitizenDossierDetailOut]:
    """Rate the handling on the nine criteria (0–2) and the overall satisfaction; once."""
    dossier, actor = _dossier(request, dossier_id)
    dossier_actions.do_rate_dossier(
        dossier,
        actor=actor,
        criteria=payload.criteria,
        satisfaction=payload.satisfaction,
        comment=payload.comment,
    )
    return Status(201, _detail(mine.get_applicant_dossier(actor, dossier_id)))


# --- drafts --------------------------------------------------------------------------


def _draft_out(actor: Actor, draft_id: int) -> DraftOut:
    draft = selectors.get_draft_for(actor, draft_id)
    owner = selectors.owner_key(selectors.get_citizen(actor))
    return DraftOut.build(draft, selectors.list_requirements(draft, owner=owner))


@router.get("/drafts", response=list[DraftOut], url_name="citizen_drafts")
def list_my_drafts(request: HttpRequest) -> list[DraftOut]:
    """Return the citizen's drafts not yet submitted, last saved first."""
    actor = _citizen(request)
    return [_draft_out(actor, draft.pk) for draft in selectors.list_drafts(actor)[:50]]


@router.post("/drafts", response={201: DraftOut}, url_name="citizen_draft_create")
def create_draft(request: HttpRequest, payload: DraftCreateIn) -> Status[DraftOut]:
    """Start a draft for the version in force of a procedure offered online."""
    actor = _citizen(request)
    draft = actions.do_start_draft(payload.procedure_code.strip(), actor=actor)
    return Status(201, _draft_out(actor, draft.pk))


@router.get("/drafts/{draft_id}", response=DraftOut, url_name="citizen_draft")
def get_draft(request: HttpRequest, draft_id: int) -> DraftOut:
    """Return a draft with what each required document stands on."""
    return _draft_out(_citizen(request), draft_id)


@router.patch("/drafts/{draft_id}", response=DraftOut)
def update_draft(request: HttpRequest, draft_id: int, payload: DraftUpdateIn) -> DraftOut:
    """Choose the case (and agency), and/or save the e-form."""
    actor = _citizen(request)
    draft = selectors.get_draft_for(actor, draft_id)
    if payload.case_code is not None:
        draft = actions.do_choose_draft_case(
            draft, actor=actor, case_code=payload.case_code, agency_id=payload.agency_id
        )
    if payload.form is not None:
        actions.do_save_draft_form(draft, actor=actor, values=payload.form.dict())
    return _draft_out(actor, draft_id)


@router.post("/drafts/{draft_id}/documents/{document_id}/file", response=DraftOut)
def attach_draft_file(
    request: HttpRequest, draft_id: int, document_id: int, file: File[UploadedFile]
) -> DraftOut:
    """Upload the file of one required document (checked by content; replaces an earlier one)."""
    actor = _citizen(request)
    draft = selectors.get_draft_for(actor, draft_id)
    actions.do_attach_draft_file(
        draft, actor=actor, procedure_document_id=document_id, uploaded_file=file
    )
    return _draft_out(actor, draft_id)


@router.post("/drafts/{draft_id}/documents/{document_id}/store-item", response=DraftOut)
def pick_draft_store_item(
    request: HttpRequest, draft_id: int, document_id: int, payload: StoreItemIn
) -> DraftOut:
    """Use an item of the citizen's data store for one required document."""
    actor = _citizen(request)
    draft = selectors.get_draft_for(actor, draft_id)
    actions.do_pick_draft_store_item(
        draft, actor=actor, procedure_document_id=document_id, item_id=payload.item_id
    )
    return _draft_out(actor, draft_id)


@router.delete("/drafts/{draft_id}/documents/{document_id}", response=DraftOut)
def clear_draft_document(request: HttpRequest, draft_id: int, document_id: int) -> DraftOut:
    """Remove what was chosen for one document."""
    actor = _citizen(request)
    draft = selectors.get_draft_for(actor, draft_id)
    actions.do_clear_draft_document(draft, actor=actor, procedure_document_id=document_id)
    return _draft_out(actor, draft_id)


@router.delete("/drafts/{draft_id}", response={204: None})
def delete_draft(request: HttpRequest, draft_id: int) -> Status[None]:
    """Delete a draft not yet submitted, and its files."""
    actor = _citizen(request)
    actions.do_delete_draft(selectors.get_draft_for(actor, draft_id), actor=actor)
    return Status(204, None)


@router.post("/drafts/{draft_id}/submit", response={201: CitizenDossierDetailOut})
def submit_draft(request: HttpRequest, draft_id: int) -> Status[CitizenDossierDetailOut]:
    """Submit the draft: one dossier in status 1 (409 ``portal.draft_already_submitted``
    the second time)."""
    actor = _citizen(request)
    dossier = actions.do_submit_draft(selectors.get_draft_for(actor, draft_id), actor=actor)
    return Status(201, _detail(mine.get_applicant_dossier(actor, dossier.pk)))


# --- data store ----------------------------------------------------------------------


@router.get("/data-store", response=list[StoreItemOut], url_name="citizen_data_store")
def list_my_data_store(request: HttpRequest) -> list[StoreItemOut]:
    """Return the citizen's data store: results issued to them, documents accepted."""
    owner = selectors.owner_key(selectors.get_citizen(_citizen(request)))
    return [StoreItemOut.build(item) for item in documents_selectors.list_store_items(owner)]
