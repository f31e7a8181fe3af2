"""``/api/v1/dossiers``: every desk and agency operation on dossiers, and public tracking.

Authentication is the Django session for now (API clients come with the integrations);
the actor is the logged-in official, and every operation goes through the same action
as the web pages, with the same rules and the same errors as problem+json (stable
``code``; ``409 concurrent_transition`` when someone else acted first). Lists are pages
of at most 50 by appointment date, keyset-paged with ``cursor``.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.security import django_auth

from motcua.agencies.models import Agency
from motcua.dossiers import actions, selectors
from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.schemas import (
    ActionOut,
    ApologyIn,
    AssignIn,
    CountsOut,
    DossierDetailOut,
    DossierPage,
    ExemptIn,
    HistoryOut,
    OnlineSubmissionIn,
    PaymentIn,
    ProvidedDocumentsIn,
    ReasonIn,
    ReturnIn,
    StateIn,
    StopIn,
    SubmissionIn,
    SupplementIn,
    TrackingOut,
    state_labels,
    summary_from_row,
)
from motcua.identity.selectors import actor_from_request
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import ConcurrentTransition, NotFound

__all__ = ["router"]

router = Router(tags=["dossiers"], auth=django_auth)

WorklistParam = Literal[
    "to_receive", "to_transfer", "supplements", "to_return",
    "to_assign", "to_process", "to_review", "to_sign",
]  # fmt: skip
DueParam = Literal["soon", "overdue"]


def _page(page: selectors.Page) -> dict[str, Any]:
    # Plain dicts: ninja validates the response once; building models here would do it twice.
    now, labels = clock.now(), state_labels()
    return {
        "items": [summary_from_row(row, now, labels) for row in page.items],
        "next_cursor": page.next_cursor,
    }


def _detail(dossier: Dossier, actor: Actor) -> DossierDetailOut:
    fresh = selectors.get_dossier_for(actor, dossier.pk)
    return DossierDetailOut.build_detail(fresh, selectors.list_available_actions(fresh, actor))


def _load(
    request: HttpRequest, dossier_id: int, body: StateIn | None = None
) -> tuple[Dossier, Actor]:
    actor = actor_from_request(request)
    dossier = selectors.get_dossier_for(actor, dossier_id)
    if body is not None and body.expected_state and body.expected_state != dossier.state:
        raise ConcurrentTransition()
    return dossier, actor


@router.get("/", response=DossierPage, url_name="dossier_list", summary="Danh sách hồ sơ")
def list_dossiers(
    request: HttpRequest,
    scope: Literal["desk", "agency"] | None = None,
    state: str | None = None,
    national_status: int | None = Query(None, ge=1, le=10),
    due: DueParam | None = None,
    cursor: str | None = None,
    limit: int = Query(50, ge=1, le=50),
) -> dict[str, Any]:
    """Return the dossiers of the official's agency (or desk), by appointment date."""
    actor = actor_from_request(request)
    return _page(
        selectors.list_dossiers(
            actor,
            scope=scope,
            state=state,
            national_status=national_status,
            due=due,
            cursor=cursor,
            limit=limit,
            as_rows=True,
        )
    )


@router.get("/worklists/{worklist}", response=DossierPage, url_name="dossier_worklist")
def worklist(
    request: HttpRequest,
    worklist: WorklistParam,
    due: DueParam | None = None,
    cursor: str | None = None,
    limit: int = Query(50, ge=1, le=50),
) -> dict[str, Any]:
    """Return one worklist of the official's role (to receive, to process, to sign…)."""
    actor = actor_from_request(request)
    return _page(
        selectors.list_worklist(actor, worklist, due=due, cursor=cursor, limit=limit, as_rows=True)
    )


@router.get("/counts", response=CountsOut, url_name="dossier_counts")
def counts(request: HttpRequest, scope: Literal["desk", "agency"] | None = None) -> CountsOut:
    """Return the number of dossiers per state for the official's agency."""
    return CountsOut(counts=selectors.count_by_state(actor_from_request(request), scope=scope))


@router.get(
    "/tracking",
    response=TrackingOut,
    auth=None,
    url_name="dossier_tracking",
    summary="Tra cứu tình trạng hồ sơ (công khai)",
)
def tracking(
    request: HttpRequest,
    code: str = Query(..., max_length=60),
    verifier: str = Query(
        ..., max_length=20, description="Số điện thoại hoặc 4 số cuối giấy tờ tùy thân"
    ),
) -> TrackingOut:
    """Return status, appointment date and history; the same 404 for any mismatch."""
    return TrackingOut.build(selectors.find_dossier_for_tracking(code, verifier))


@router.post("/", response={201: DossierDetailOut}, url_name="dossier_register")
def register(request: HttpRequest, payload: SubmissionIn) -> Status[DossierDetailOut]:
    """Register a dossier handed in at the official's desk (then receive, supplement or refuse)."""
    actor = actor_from_request(request)
    desk = Agency.objects.filter(pk=actor.agency_id).first() if actor.agency_id else None
    if desk is None:
        raise NotFound(code="dossier.no_desk")
    dossier = actions.do_register_submission(desk, actor=actor, submission=payload.to_value())
    return Status(201, _detail(dossier, actor))


@router.post("/online", response={201: DossierDetailOut}, url_name="dossier_submit_online")
def submit_online(request: HttpRequest, payload: OnlineSubmissionIn) -> Status[DossierDetailOut]:
    """Record an online dossier arriving from the national portal (status 1)."""
    actor = actor_from_request(request)
    desk = Agency.objects.filter(code=payload.receiving_desk_code.strip()).first()
    if desk is None:
        raise NotFound(code="dossier.unknown_desk")
    dossier = actions.do_submit_online_dossier(payload.to_value(), actor=actor, receiving_desk=desk)
    return Status(201, _detail(dossier, actor))


@router.get("/{dossier_id}", response=DossierDetailOut, url_name="dossier_detail")
def detail(request: HttpRequest, dossier_id: int) -> DossierDetailOut:
    """Return a dossier with its documents, control slip and the actions open to the official."""
    dossier, actor = _load(request, dossier_id)
    return DossierDetailOut.build_detail(dossier, selectors.list_available_actions(dossier, actor))


@router.get("/{dossier_id}/history", response=list[HistoryOut], url_name="dossier_history")
def history(request: HttpRequest, dossier_id: int) -> list[HistoryOut]:
    """Return every recorded event of the dossier, in order."""
    dossier, _actor = _load(request, dossier_id)
    return [HistoryOut.build(entry) for entry in selectors.list_history(dossier)]


@router.get("/{dossier_id}/actions", response=list[ActionOut], url_name="dossier_actions")
def available_actions(request: HttpRequest, dossier_id: int) -> list[ActionOut]:
    """Return the actions the official may take now on the dossier."""
    dossier, actor = _load(request, dossier_id)
    return [ActionOut.build(a) for a in selectors.list_available_actions(dossier, actor)]


@router.post("/{dossier_id}/receive", response=DossierDetailOut, url_name="dossier_receive")
def receive(request: HttpRequest, dossier_id: int, payload: StateIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    return _detail(actions.do_receive_dossier(dossier, actor=actor), actor)


@router.post("/{dossier_id}/reception-supplement-request", response=DossierDetailOut)
def request_reception_supplement(
    request: HttpRequest, dossier_id: int, payload: SupplementIn
) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    items = [item.to_value() for item in payload.items]
    actions.do_request_reception_supplement(dossier, actor=actor, items=items)
    return _detail(dossier, actor)


@router.post("/{dossier_id}/reception-supplement", response=DossierDetailOut)
def record_reception_supplement(
    request: HttpRequest, dossier_id: int, payload: ProvidedDocumentsIn
) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    documents = [d.to_value() for d in payload.documents]
    return _detail(
        actions.do_record_reception_supplement(dossier, actor=actor, documents=documents), actor
    )


@router.post("/{dossier_id}/refuse", response=DossierDetailOut)
def refuse(request: HttpRequest, dossier_id: int, payload: ReasonIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    actions.do_refuse_dossier(dossier, actor=actor, reason=payload.reason)
    return _detail(dossier, actor)


def _document(dossier: Dossier, document_id: int) -> DossierDocument:
    document = DossierDocument.objects.filter(pk=document_id, dossier=dossier).first()
    if document is None:
        raise DossierNotFound()
    return document


@router.post("/{dossier_id}/documents/{document_id}/digitise", response=DossierDetailOut)
def digitise(
    request: HttpRequest, dossier_id: int, document_id: int, file: File[UploadedFile]
) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id)
    actions.do_digitise_document(_document(dossier, document_id), actor=actor, uploaded_file=file)
    return _detail(dossier, actor)


@router.post("/{dossier_id}/documents/{document_id}/exempt", response=DossierDetailOut)
def exempt(
    request: HttpRequest, dossier_id: int, document_id: int, payload: ExemptIn
) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id)
    actions.do_mark_document_exempt(
        _document(dossier, document_id), actor=actor, exemption=payload.exemption, note=payload.note
    )
    return _detail(dossier, actor)


@router.post("/{dossier_id}/transfer", response=DossierDetailOut)
def transfer(request: HttpRequest, dossier_id: int, payload: StateIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    return _detail(actions.do_transfer_dossier(dossier, actor=actor), actor)


@router.post("/{dossier_id}/assign", response=DossierDetailOut)
def assign(request: HttpRequest, dossier_id: int, payload: AssignIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    return _detail(
        actions.do_assign_dossier(dossier, actor=actor, assignee_id=payload.assignee_id), actor
    )


@router.post("/{dossier_id}/submit-for-review", response=DossierDetailOut)
def submit_for_review(request: HttpRequest, dossier_id: int, payload: StateIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    return _detail(actions.do_submit_for_review(dossier, actor=actor), actor)


@router.post("/{dossier_id}/approve", response=DossierDetailOut)
def approve(request: HttpRequest, dossier_id: int, payload: StateIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    return _detail(actions.do_approve_dossier(dossier, actor=actor), actor)


@router.post("/{dossier_id}/send-back", response=DossierDetailOut)
def send_back(request: HttpRequest, dossier_id: int, payload: ReasonIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    return _detail(actions.do_send_back_dossier(dossier, actor=actor, reason=payload.reason), actor)


@router.post("/{dossier_id}/sign", response=DossierDetailOut)
def sign(request: HttpRequest, dossier_id: int, payload: StateIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    return _detail(actions.do_sign_result(dossier, actor=actor), actor)


@router.post("/{dossier_id}/forward", response=DossierDetailOut)
def forward(request: HttpRequest, dossier_id: int, payload: StateIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    return _detail(actions.do_forward_to_next_agency(dossier, actor=actor), actor)


@router.post("/{dossier_id}/supplement-request", response=DossierDetailOut)
def request_supplement(
    request: HttpRequest, dossier_id: int, payload: SupplementIn
) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    items = [item.to_value() for item in payload.items]
    actions.do_request_supplement(dossier, actor=actor, items=items)
    return _detail(dossier, actor)


@router.post("/{dossier_id}/supplement", response=DossierDetailOut)
def receive_supplement(request: HttpRequest, dossier_id: int, payload: StateIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    return _detail(actions.do_receive_supplement(dossier, actor=actor), actor)


@router.post("/{dossier_id}/payment-request", response=DossierDetailOut)
def request_payment(request: HttpRequest, dossier_id: int, payload: StateIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    return _detail(actions.do_request_payment(dossier, actor=actor), actor)


@router.post("/{dossier_id}/payment", response=DossierDetailOut)
def record_payment(request: HttpRequest, dossier_id: int, payload: PaymentIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    return _detail(
        actions.do_record_payment(dossier, actor=actor, reference=payload.reference), actor
    )


@router.post("/{dossier_id}/stop", response=DossierDetailOut)
def stop(request: HttpRequest, dossier_id: int, payload: StopIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    actions.do_stop_processing(
        dossier, actor=actor, reason=payload.reason, legal_basis=payload.legal_basis
    )
    return _detail(dossier, actor)


@router.post("/{dossier_id}/withdraw", response=DossierDetailOut)
def withdraw(request: HttpRequest, dossier_id: int, payload: ReasonIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    return _detail(actions.do_withdraw_dossier(dossier, actor=actor, reason=payload.reason), actor)


@router.post("/{dossier_id}/apology", response=DossierDetailOut)
def apology(request: HttpRequest, dossier_id: int, payload: ApologyIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    actions.do_issue_apology(
        dossier, actor=actor, reason=payload.reason, new_due_at=payload.new_due_at
    )
    return _detail(dossier, actor)


@router.post("/{dossier_id}/return", response=DossierDetailOut)
def return_result(request: HttpRequest, dossier_id: int, payload: ReturnIn) -> DossierDetailOut:
    dossier, actor = _load(request, dossier_id, payload)
    actions.do_return_result(
        dossier, actor=actor, note=payload.note, payment_reference=payload.payment_reference
    )
    return _detail(dossier, actor)
