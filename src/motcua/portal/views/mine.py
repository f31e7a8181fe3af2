""" "My dossiers" (``/ca-nhan/ho-so/``): the citizen's drafts and dossiers, each dossier's
page with what it asks now, its forms and result to download, and the applicant's own
actions: answer a supplement request, withdraw, rate.

Every page reads through ``dossiers.applicant_selectors``: another account's dossier,
or a guessed id, is a 404 like an unknown one. Files are served only after that check.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from motcua.documents import selectors as documents_selectors
from motcua.documents import types
from motcua.dossiers import actions as dossier_actions
from motcua.dossiers import applicant_selectors as mine
from motcua.dossiers.actions import SuppliedDocument
from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.paperwork import SUBJECT_TYPE, format_vnd
from motcua.dossiers.states import FINISHED_STATES
from motcua.dossiers.views._common import due_status
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import ApplicationError
from motcua.portal import selectors
from motcua.portal.forms import CRITERIA, RatingForm, SupplementForm, WithdrawForm
from motcua.portal.views._common import citizen_required, request_actor, upload_help

__all__ = [
    "CITIZEN_FORMS",
    "dossier",
    "download_file",
    "download_form",
    "download_result",
    "my_dossiers",
    "rate",
    "supplement",
    "withdraw",
]

# The forms an applicant receives (the control slip and the register stay internal).
CITIZEN_FORMS = ("01", "02", "03", "04", "05")
_METHODS = ["GET", "HEAD", "POST"]


def _load(actor: Actor, pk: int) -> Dossier:
    try:
        return mine.get_applicant_dossier(actor, pk)
    except DossierNotFound:
        raise Http404(DossierNotFound.default_message) from None


def _crumbs(dossier: Dossier, *extra: tuple[Any, str | None]) -> list[Any]:
    crumbs: list[Any] = [(_("Hồ sơ của tôi"), reverse("portal:mine"))]
    if not extra:
        return [*crumbs, (str(dossier), None)]
    return [*crumbs, (str(dossier), reverse("portal:dossier", args=[dossier.pk])), *extra]


@require_safe
@citizen_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """The drafts, then the dossiers newest first (keyset pages of 20)."""
    actor = request_actor(request)
    try:
        page = mine.list_applicant_dossiers(actor, cursor=request.GET.get("sau") or None)
    except ApplicationError:
        raise Http404(gettext("Trang không hợp lệ.")) from None
    # Labels translated once per page: ``get_national_status_display()`` would hash and
    # translate every choice again for each row.
    status_labels = {
        value: str(label) for value, label in Dossier._meta.get_field("national_status").flatchoices
    }
    rows = []
    for d in page.items:
        ask = mine.asks_of(d, has_rating=d.has_rating)
        rows.append(
            {
                "dossier": d,
                "ask": ask,
                "ask_label": mine.Ask.LABELS.get(ask, ""),
                "status_label": status_labels.get(d.national_status, d.national_status),
            }
        )
    return render(
        request,
        "portal/mine.html",
        {
            "drafts": list(selectors.list_drafts(actor)) if not request.GET.get("sau") else [],
            "rows": rows,
            "next_cursor": page.next_cursor,
            "is_later_page": bool(request.GET.get("sau")),
            "breadcrumbs": [(_("Hồ sơ của tôi"), None)],
        },
    )


@require_safe
@citizen_required
def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """One dossier: status, appointment, what is asked now, documents, forms, result, history."""
    actor = request_actor(request)
    item = _load(actor, pk)
    has_rating = hasattr(item, "rating")
    ask = mine.asks_of(item, has_rating=has_rating)
    issued = [
        doc
        for doc in documents_selectors.list_issued_documents(
            subject_type=SUBJECT_TYPE, subject_id=item.pk
        )
        if doc.kind in CITIZEN_FORMS
    ]
    results = list(documents_selectors.list_results(subject_type=SUBJECT_TYPE, subject_id=item.pk))
    context = {
        "dossier": item,
        "ask": ask,
        "ask_label": mine.Ask.LABELS.get(ask, ""),
        "due": None if item.state in FINISHED_STATES else due_status(item.due_at),
        "request": mine.open_supplement_request(item),
        "documents": list(
            item.documents.select_related("stored_file", "data_store_item").order_by("position")
        ),
        "issued": issued,
        "results": results,
        "fees": [(line["name"], format_vnd(int(line["amount"]))) for line in item.fees],
        "fee_total": format_vnd(item.fee_total) if item.fee_total else "",
        "history": mine.list_applicant_history(item),
        "rating": item.rating if has_rating else None,
        "can_withdraw": mine.can_withdraw(item),
        "breadcrumbs": _crumbs(item),
    }
    return render(request, "portal/dossier.html", context)


@require_safe
@citizen_required
def download_form(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    item = _load(request_actor(request), pk)
    issued = (
        documents_selectors.list_issued_documents(subject_type=SUBJECT_TYPE, subject_id=item.pk)
        .filter(pk=document_id, kind__in=CITIZEN_FORMS)
        .first()
    )
    if issued is None:
        raise Http404(gettext("Không tìm thấy biểu mẫu."))
    return FileResponse(
        documents_selectors.open_issued_document(issued),
        content_type="application/pdf",
        filename=f"mau-{issued.form_number}-{item}.pdf",
    )


@require_safe
@citizen_required
def download_result(request: HttpRequest, pk: int, result_id: int) -> FileResponse:
    item = _load(request_actor(request), pk)
    result = (
        documents_selectors.list_results(subject_type=SUBJECT_TYPE, subject_id=item.pk)
        .filter(pk=result_id)
        .first()
    )
    if result is None:
        raise Http404(gettext("Không tìm thấy kết quả."))
    return FileResponse(
        documents_selectors.open_result_file(result),
        content_type="application/pdf",
        filename=f"{result.code}.pdf",
        as_attachment=True,
    )


@require_safe
@citizen_required
def download_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    """A file of the dossier's documents (uploaded by the applicant, or from their store)."""
    item = _load(request_actor(request), pk)
    row = (
        DossierDocument.objects.filter(dossier=item, stored_file_id=file_id)
        .select_related("stored_file")
        .first()
    )
    if row is None or row.stored_file is None:
        raise Http404(gettext("Không tìm thấy tệp."))
    stored = row.stored_file
    return FileResponse(
        documents_selectors.open_stored_file(stored),
        content_type=stored.content_type,
        filename=stored.original_name,
    )


def _requested(dossier: Dossier, owner: str) -> list[tuple[DossierDocument, list[Any]]]:
    request = mine.open_supplement_request(dossier)
    if request is None:
        return []
    ids = [int(i["document_id"]) for i in request.items if i.get("document_id")]
    rows = DossierDocument.objects.filter(dossier=dossier, pk__in=ids).select_related(
        "procedure_document"
    )
    now = clock.now()
    # The paper the agency found wanting is not offered again as its own replacement.
    return [
        (
            row,
            [
                item
                for item in documents_selectors.list_usable_store_items(
                    owner,
                    types.required_type(row.procedure_document.code, row.procedure_document.name),
                    at=now,
                )
                if item.pk != row.data_store_item_id
                and (item.stored_file_id is None or item.stored_file_id != row.stored_file_id)
            ],
        )
        for row in rows.order_by("position", "id")
    ]


@require_http_methods(_METHODS)
@citizen_required
def supplement(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Answer the open supplement request: each requested document uploaded or picked."""
    actor = request_actor(request)
    item = _load(actor, pk)
    open_request = mine.open_supplement_request(item)
    if open_request is None:
        messages.info(request, gettext("Hồ sơ không có yêu cầu bổ sung đang chờ."))
        return redirect("portal:dossier", pk=item.pk)
    requested = _requested(item, item.applicant_id_number)
    help_text = upload_help(item.procedure_code)
    status = 200
    if request.method == "POST":
        form = SupplementForm(request.POST, request.FILES, documents=requested, help_text=help_text)
        if form.is_valid():
            supplied = []
            for row, _offers in requested:
                uploaded, item_id = form.choice_of(row)
                supplied.append(
                    SuppliedDocument(row.pk, uploaded_file=uploaded, data_store_item_id=item_id)
                )
            if form.cleaned_data.get("extra"):
                supplied.append(SuppliedDocument(None, uploaded_file=form.cleaned_data["extra"]))
            try:
                dossier_actions.do_answer_supplement(
                    item, actor=actor, supplied=supplied, note=form.cleaned_data.get("note", "")
                )
            except ApplicationError as error:
                mapping = {f"documents.{row.pk}": f"doc_{row.pk}_file" for row, _o in requested}
                mapping |= {k: "extra" for k in error.field_errors if k.startswith("extra.")}
                form.add_application_error(error, mapping)
            else:
                messages.success(
                    request,
                    gettext("Đã gửi hồ sơ bổ sung. Cơ quan tiếp tục giải quyết hồ sơ của bạn."),
                )
                return redirect("portal:dossier", pk=item.pk)
        status = 422
    else:
        form = SupplementForm(documents=requested, help_text=help_text)
    return render(
        request,
        "portal/supplement.html",
        {
            "dossier": item,
            "supplement": open_request,
            "form": form,
            "breadcrumbs": _crumbs(item, (_("Bổ sung hồ sơ"), None)),
        },
        status=status,
    )


@require_http_methods(_METHODS)
@citizen_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor = request_actor(request)
    item = _load(actor, pk)
    status = 200
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                dossier_actions.do_withdraw_by_applicant(
                    item, actor=actor, reason=form.cleaned_data["reason"]
                )
            except ApplicationError as error:
                form.add_application_error(error)
                status = error.status
            else:
                messages.success(request, gettext("Đã rút hồ sơ."))
                return redirect("portal:dossier", pk=item.pk)
        else:
            status = 422
    return render(
        request,
        "portal/withdraw.html",
        {
            "dossier": item,
            "form": form,
            "can_withdraw": mine.can_withdraw(item),
            "breadcrumbs": _crumbs(item, (_("Rút hồ sơ"), None)),
        },
        status=status,
    )


@require_http_methods(_METHODS)
@citizen_required
def rate(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The nine-criterion evaluation and the overall satisfaction (once, after return)."""
    actor = request_actor(request)
    item = _load(actor, pk)
    status = 200
    form = RatingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                dossier_actions.do_rate_dossier(
                    item,
                    actor=actor,
                    criteria=form.criteria,
                    satisfaction=form.cleaned_data["satisfaction"],
                    comment=form.cleaned_data.get("comment", ""),
                )
            except ApplicationError as error:
                form.add_application_error(error)
                status = error.status
            else:
                messages.success(request, gettext("Cảm ơn bạn đã đánh giá."))
                return redirect("portal:dossier", pk=item.pk)
        else:
            status = 422
    return render(
        request,
        "portal/rate.html",
        {
            "dossier": item,
            "form": form,
            "criteria": CRITERIA,
            "is_open": item.state == "returned" and not hasattr(item, "rating"),
            "breadcrumbs": _crumbs(item, (_("Đánh giá"), None)),
        },
        status=status,
    )
