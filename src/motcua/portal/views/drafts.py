"""Apply online: ``/nop-truc-tuyen/<code>/`` starts a draft; ``/ca-nhan/ho-so-nhap/<id>/…``
walks it one thing per page — the case, the e-form, each document, the fees, the
confirmation — and submits it.

Every step saves the draft when it is posted ("Tiếp tục" goes on, "Lưu nháp" goes back
to "My dossiers"); the draft is resumed from there. Every page works without JavaScript
(plain forms, POST/redirect/GET). Errors come back on the page with the input kept, the
error summary first. A draft already submitted leads to its dossier.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from motcua.catalog.errors import NoVersionInForce, UnknownProcedure
from motcua.catalog.selectors import get_version_in_force
from motcua.dossiers.enums import DeliveryChannel
from motcua.dossiers.paperwork import format_vnd
from motcua.kernel.actors import Actor
from motcua.kernel.errors import ApplicationError
from motcua.kernel.text import mask_id
from motcua.portal import actions, selectors
from motcua.portal.errors import DraftAlreadySubmitted, DraftNotFound
from motcua.portal.forms import CaseForm, ConfirmForm, DocumentForm, EForm
from motcua.portal.models import Draft
from motcua.portal.views._common import citizen_required, request_actor, upload_help

__all__ = [
    "STEPS",
    "apply",
    "draft_case",
    "draft_confirm",
    "draft_delete",
    "draft_document",
    "draft_documents",
    "draft_fees",
    "draft_form",
]

STEPS = [
    ("case", _("Trường hợp")),
    ("form", _("Tờ khai")),
    ("documents", _("Giấy tờ")),
    ("fees", _("Phí, lệ phí")),
    ("confirm", _("Xác nhận, nộp")),
]
_METHODS = ["GET", "HEAD", "POST"]
SAVED = _("Đã lưu hồ sơ nháp. Bạn có thể tiếp tục bất cứ lúc nào từ mục “Hồ sơ của tôi”.")


def _url(step: str, draft: Draft) -> str:
    return reverse(f"portal:draft_{step}", kwargs={"pk": draft.pk})


def _load(actor: Actor, pk: int) -> Draft:
    try:
        return selectors.get_draft_for(actor, pk)
    except DraftNotFound:
        raise Http404(DraftNotFound.default_message) from None


def _submitted(request: HttpRequest, draft: Draft) -> HttpResponseBase:
    messages.info(request, gettext("Hồ sơ nháp này đã được nộp; đây là hồ sơ đã nộp."))
    return redirect("portal:dossier", pk=draft.dossier_id)


def _saved_or(request: HttpRequest, next_url: str) -> HttpResponseBase:
    """After a successful save: back to "My dossiers" on "Lưu nháp", else the next step."""
    if "save" in request.POST:
        messages.success(request, str(SAVED))
        return redirect("portal:mine")
    return redirect(next_url)


def _page(
    request: HttpRequest,
    template: str,
    draft: Draft,
    step: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    steps = [
        {"key": key, "label": label, "url": _url(key, draft), "is_current": key == step}
        for key, label in STEPS
    ]
    title = draft.procedure_version.name
    return render(
        request,
        template,
        {
            "draft": draft,
            "steps": steps,
            "step": step,
            "step_number": [key for key, _label in STEPS].index(step) + 1,
            "step_count": len(STEPS),
            "breadcrumbs": [
                (_("Hồ sơ của tôi"), reverse("portal:mine")),
                (title, None),
            ],
            **context,
        },
        status=status,
    )


@require_http_methods(_METHODS)
@citizen_required
def apply(request: HttpRequest, code: str) -> HttpResponseBase:
    """Explain what applying online takes, list the drafts of this procedure, start one."""
    actor = request_actor(request)
    try:
        version = get_version_in_force(code)
    except (UnknownProcedure, NoVersionInForce):
        raise Http404(gettext("Không có thủ tục hành chính mã này.")) from None
    error = ""
    if request.method == "POST":
        try:
            draft = actions.do_start_draft(code, actor=actor)
        except ApplicationError as exc:
            error = exc.message
        else:
            first = (
                "form"
                if draft.case_id and not selectors.agency_choices(version, draft.case)
                else "case"
            )
            return redirect(_url(first, draft))
    citizen = selectors.get_citizen(actor)
    return render(
        request,
        "portal/apply.html",
        {
            "version": version,
            "citizen": citizen,
            "drafts": list(selectors.list_drafts(actor).filter(procedure_code=version.code)),
            "error": error,
            "breadcrumbs": [
                (_("Thủ tục hành chính"), reverse("catalog:search")),
                (version.name, reverse("catalog:detail", args=[version.code])),
                (_("Nộp hồ sơ trực tuyến"), None),
            ],
        },
        status=422 if error else 200,
    )


@require_http_methods(_METHODS)
@citizen_required
def draft_case(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor = request_actor(request)
    draft = _load(actor, pk)
    if draft.is_submitted:
        return _submitted(request, draft)
    version = draft.procedure_version
    cases = selectors.list_cases(version)
    case = draft.case
    if request.method == "POST":
        chosen = next((c for c in cases if c.code == request.POST.get("case_code")), case)
        agencies = selectors.agency_choices(version, chosen)
        form = CaseForm(request.POST, cases=cases, agencies=agencies)
        if form.is_valid():
            try:
                actions.do_choose_draft_case(
                    draft,
                    actor=actor,
                    case_code=form.cleaned_data["case_code"],
                    agency_id=form.cleaned_data.get("agency_id"),
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                return _saved_or(request, _url("form", draft))
        return _page(request, "portal/draft_case.html", draft, "case", {"form": form}, status=422)
    agencies = selectors.agency_choices(version, case or (cases[0] if len(cases) == 1 else None))
    form = CaseForm(
        initial={"case_code": case.code if case else "", "agency_id": draft.competent_agency_id},
        cases=cases,
        agencies=agencies,
    )
    return _page(request, "portal/draft_case.html", draft, "case", {"form": form})


@require_http_methods(_METHODS)
@citizen_required
def draft_form(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor = request_actor(request)
    draft = _load(actor, pk)
    if draft.is_submitted:
        return _submitted(request, draft)
    if draft.case_id is None:
        return redirect(_url("case", draft))
    citizen = selectors.get_citizen(actor)
    status = 200
    if request.method == "POST":
        form = EForm(request.POST)
        if form.is_valid():
            try:
                actions.do_save_draft_form(draft, actor=actor, values=form.cleaned_data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                return _saved_or(request, _url("documents", draft))
        status = 422
    else:
        form = EForm(initial=draft.form or {"return_channel": DeliveryChannel.ONLINE})
    identity = [
        (_("Họ và tên"), citizen.full_name),
        (_("Ngày sinh"), f"{citizen.birth_date:%d/%m/%Y}" if citizen.birth_date else ""),
        (_("Số định danh cá nhân"), mask_id(citizen.personal_id)),
    ]
    if citizen.organisation_code:
        identity.append((_("Mã số doanh nghiệp"), citizen.organisation_code))
    context = {"form": form, "identity": identity}
    return _page(request, "portal/draft_form.html", draft, "form", context, status=status)


def _requirements(actor: Actor, draft: Draft) -> list[selectors.Requirement]:
    citizen = selectors.get_citizen(actor)
    return selectors.list_requirements(draft, owner=selectors.owner_key(citizen))


@require_http_methods(_METHODS)
@citizen_required
def draft_documents(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The list of required documents with what satisfies each; go on when none is missing."""
    actor = request_actor(request)
    draft = _load(actor, pk)
    if draft.is_submitted:
        return _submitted(request, draft)
    requirements = _requirements(actor, draft)
    missing = [r for r in requirements if r.is_missing]
    status = 200
    if request.method == "POST":
        if "save" in request.POST or not missing:
            return _saved_or(request, _url("fees", draft))
        status = 422
    context = {"requirements": requirements, "missing": missing if status == 422 else []}
    return _page(request, "portal/draft_documents.html", draft, "documents", context, status=status)


@require_http_methods(_METHODS)
@citizen_required
def draft_document(request: HttpRequest, pk: int, document_id: int) -> HttpResponseBase:
    """One required document: upload a file or use an item of the data store."""
    actor = request_actor(request)
    draft = _load(actor, pk)
    if draft.is_submitted:
        return _submitted(request, draft)
    requirement = next(
        (
            r
            for r in _requirements(actor, draft)
            if r.document.pk == document_id and r.mode == selectors.DocumentMode.ATTACH
        ),
        None,
    )
    if requirement is None:
        raise Http404(gettext("Thủ tục không yêu cầu giấy tờ này."))
    help_text = upload_help(draft.procedure_code)
    status = 200
    if request.method == "POST" and "clear" in request.POST:
        actions.do_clear_draft_document(draft, actor=actor, procedure_document_id=document_id)
        messages.success(request, gettext("Đã bỏ giấy tờ đã chọn."))
        return redirect(_url("documents", draft))
    if request.method == "POST":
        form = DocumentForm(
            request.POST, request.FILES, offers=requirement.offers, help_text=help_text
        )
        if form.is_valid():
            try:
                if form.item_id is not None:
                    actions.do_pick_draft_store_item(
                        draft, actor=actor, procedure_document_id=document_id, item_id=form.item_id
                    )
                else:
                    actions.do_attach_draft_file(
                        draft,
                        actor=actor,
                        procedure_document_id=document_id,
                        uploaded_file=form.cleaned_data["file"],
                    )
            except ApplicationError as error:
                if error.code.startswith("documents.store_item"):
                    form.add_error("source", error.message)
                elif error.code.startswith("documents."):
                    form.add_error("file", error.message)
                else:
                    form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    gettext("Đã đính kèm: %(name)s.") % {"name": requirement.document.name},
                )
                return redirect(_url("documents", draft))
        status = 422
    else:
        initial = "upload"
        if requirement.item is not None:
            initial = f"item:{requirement.item.pk}"
        elif requirement.offers and requirement.file is None:
            initial = f"item:{requirement.offers[0].pk}"
        form = DocumentForm(
            initial={"source": initial}, offers=requirement.offers, help_text=help_text
        )
    context = {"form": form, "requirement": requirement}
    return _page(request, "portal/draft_document.html", draft, "documents", context, status=status)


@require_http_methods(_METHODS)
@citizen_required
def draft_fees(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor = request_actor(request)
    draft = _load(actor, pk)
    if draft.is_submitted:
        return _submitted(request, draft)
    if request.method == "POST":
        return _saved_or(request, _url("confirm", draft))
    lines = selectors.list_fee_lines(draft.procedure_version, draft.case)
    total = sum(line.amount for line in lines)
    context = {
        "fees": [(line, format_vnd(line.amount)) for line in lines],
        "total": format_vnd(total) if total else "",
    }
    return _page(request, "portal/draft_fees.html", draft, "fees", context)


@require_http_methods(_METHODS)
@citizen_required
def draft_confirm(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Everything at a glance, the declaration, and the one button that submits."""
    actor = request_actor(request)
    draft = _load(actor, pk)
    if draft.is_submitted:
        return _submitted(request, draft)
    status = 200
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                dossier = actions.do_submit_draft(draft, actor=actor)
            except DraftAlreadySubmitted:
                return _submitted(request, selectors.get_draft_for(actor, draft.pk))
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(
                    request,
                    gettext(
                        "Đã nộp hồ sơ (số tham chiếu %(reference)s). Bộ phận một cửa sẽ kiểm "
                        "tra và tiếp nhận; bạn theo dõi tình trạng tại đây."
                    )
                    % {"reference": dossier.reference},
                )
                return redirect("portal:dossier", pk=dossier.pk)
        status = 422
    requirements = _requirements(actor, draft)
    lines = selectors.list_fee_lines(draft.procedure_version, draft.case)
    competent = selectors.competent_agency_of(draft)
    desk = selectors.receiving_desk_for(competent) if competent is not None else None
    channel = str((draft.form or {}).get("return_channel", ""))
    context = {
        "form": form,
        "requirements": requirements,
        "fee_total": format_vnd(sum(line.amount for line in lines)),
        "has_fees": any(line.amount for line in lines),
        "competent": competent,
        "desk": desk,
        "return_channel": DeliveryChannel(channel).label
        if channel in DeliveryChannel.values
        else "",
    }
    return _page(request, "portal/draft_confirm.html", draft, "confirm", context, status=status)


@require_http_methods(_METHODS)
@citizen_required
def draft_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor = request_actor(request)
    draft = _load(actor, pk)
    if draft.is_submitted:
        return _submitted(request, draft)
    if request.method == "POST":
        actions.do_delete_draft(draft, actor=actor)
        messages.success(request, gettext("Đã xóa hồ sơ nháp."))
        return redirect("portal:mine")
    return render(
        request,
        "portal/draft_delete.html",
        {
            "draft": draft,
            "breadcrumbs": [
                (_("Hồ sơ của tôi"), reverse("portal:mine")),
                (_("Xóa hồ sơ nháp"), None),
            ],
        },
    )
