"""The dossier page ``/ho-so/<pk>/``, its actions ``/ho-so/<pk>/<action>/`` and its files.

The page reads the dossier through ``selectors.get_dossier_for`` (an official of an
agency that received, holds, decides or routes it; anyone else gets 404, as for an
unknown id) and shows everything the officials need to act: the header with the state
and the deadline, the applicant, the documents and their scans, the process control
slip, supplement requests, the extension, the forms issued, the result and the
recorded history. The action panel lists ``selectors.list_available_actions``.

An action POST runs the action; on success it redirects back with a message
(POST/redirect/GET); on failure the page comes back with the translated error inside
the action's form, the official's input kept. Files are served only after the same
visibility check, from ``documents`` storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import segno
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from motcua.documents import selectors as documents_selectors
from motcua.dossiers import selectors
from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.models import Dossier, Extension, Refusal, StopNotice
from motcua.dossiers.paperwork import SUBJECT_TYPE, format_vnd
from motcua.dossiers.selectors import AvailableAction
from motcua.dossiers.states import FINISHED_STATES
from motcua.dossiers.views._common import due_status, official_required, request_actor
from motcua.dossiers.views.panel import PANEL, ActionForm, changed_error
from motcua.kernel.actors import Actor
from motcua.kernel.errors import ApplicationError, ConcurrentTransition
from motcua.kernel.text import mask_id

__all__ = ["act", "detail", "download_file", "download_form", "download_result"]


@dataclass(frozen=True)
class PanelEntry:
    """One action of the panel: the button's label and style, its form, its address."""

    action: AvailableAction
    form: ActionForm
    url: str
    error: str = ""
    hint: str = ""

    @property
    def is_open(self) -> bool:
        return bool(self.error) or bool(self.form.errors)


def _load(actor: Actor, pk: int) -> Dossier:
    try:
        return selectors.get_dossier_for(actor, pk)
    except DossierNotFound:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None


@dataclass(frozen=True)
class ResultView:
    """A result with its public verification address and that address as a QR code."""

    result: Any
    verification_url: str
    qr_svg: str


def _result_view(result: Any) -> ResultView:
    url = documents_selectors.verification_url(result.code)
    title = gettext("Mã QR dẫn đến trang xác minh kết quả %(code)s") % {"code": result.code}
    svg = segno.make(url, error="m").svg_inline(scale=3, title=title)
    # The title names the image; segno's markup is trusted (no user input but the code).
    return ResultView(result, url, mark_safe(svg.replace("<svg ", '<svg role="img" ', 1)))  # noqa: S308


def _one(model: type[Extension] | type[Refusal] | type[StopNotice], dossier: Dossier) -> Any:
    return model.objects.filter(dossier=dossier).select_related("form").first()


def _panel(
    dossier: Dossier, actor: Actor, failed: tuple[str, ActionForm, str] | None
) -> list[PanelEntry]:
    entries = []
    for action in selectors.list_available_actions(dossier, actor):
        spec = PANEL.get(action.name)
        if spec is None:
            continue
        url = reverse(
            "dossiers:act", kwargs={"pk": dossier.pk, "action": action.name.replace("_", "-")}
        )
        hint = _hint(dossier, action.name)
        if failed is not None and failed[0] == action.name:
            entries.append(PanelEntry(action, failed[1], url, failed[2], hint))
        else:
            form = spec.form(dossier=dossier, actor=actor, prefix=action.name)
            entries.append(PanelEntry(action, form, url, hint=hint))
    return entries


def _hint(dossier: Dossier, name: str) -> str:
    """Return the one line that says what the action will do to this dossier."""
    if name == "transfer" and dossier.route:
        return gettext("Chuyển đến: %(agency)s.") % {"agency": dossier.route[0]["agency_name"]}
    if name == "forward_to_next_agency" and dossier.next_leg is not None:
        return gettext("Chuyển đến: %(agency)s.") % {"agency": dossier.next_leg["agency_name"]}
    if name in {"sign_result", "sign_result_pending_payment"}:
        return gettext(
            "Kết quả được ký số bằng chứng thư số của cơ quan và chuyển về bộ phận một cửa."
        )
    if name == "request_payment":
        return gettext("Tổng phí, lệ phí: %(amount)s.") % {"amount": format_vnd(dossier.fee_total)}
    if name == "receive":
        return gettext("Cấp mã hồ sơ, ngày hẹn trả và lập Giấy tiếp nhận (Mẫu 01).")
    return ""


def _render(
    request: HttpRequest,
    dossier: Dossier,
    actor: Actor,
    *,
    failed: tuple[str, ActionForm, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    issued = list(
        documents_selectors.list_issued_documents(subject_type=SUBJECT_TYPE, subject_id=dossier.pk)
    )
    results = list(
        documents_selectors.list_results(subject_type=SUBJECT_TYPE, subject_id=dossier.pk)
    )
    receipt_slip = next((doc for doc in issued if doc.kind == "01"), None)
    panel = _panel(dossier, actor, failed)
    # An action that is no longer offered (the dossier moved on) shows its error on top.
    orphan_error = ""
    if failed is not None and not any(entry.action.name == failed[0] for entry in panel):
        orphan_error = failed[2] or str(_("Thao tác không thực hiện được ở trạng thái hiện tại."))
    context = {
        "dossier": dossier,
        "applicant_id": mask_id(dossier.applicant_id_number),
        "submitter_id": mask_id(dossier.submitter_id_number),
        "due": None if dossier.state in FINISHED_STATES else due_status(dossier.due_at),
        "documents": list(dossier.documents.select_related("stored_file")),
        "handovers": list(dossier.handovers.select_related("from_agency", "to_agency")),
        "supplements": list(dossier.supplement_requests.select_related("agency", "form")),
        "extension": _one(Extension, dossier),
        "refusal": _one(Refusal, dossier),
        "stop_notice": _one(StopNotice, dossier),
        "issued": issued,
        "receipt_slip": receipt_slip,
        "results": [_result_view(result) for result in results],
        "history": selectors.list_history(dossier),
        "fee_total": format_vnd(dossier.fee_total) if dossier.fee_total else "",
        "panel": panel,
        "orphan_error": orphan_error,
        "has_error": failed is not None,
        "breadcrumbs": [
            (_("Hồ sơ"), reverse("dossiers:worklist")),
            (dossier.code or dossier.reference, None),
        ],
    }
    return render(request, "dossiers/detail.html", context, status=status)


@require_safe
@official_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the dossier and the actions the official may take on it now."""
    actor = request_actor(request)
    return _render(request, _load(actor, pk), actor)


@require_POST
@official_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one action on the dossier; redirect back with a message, or show the error."""
    actor = request_actor(request)
    dossier = _load(actor, pk)
    name = action.replace("-", "_")
    spec = PANEL.get(name)
    if spec is None:
        raise Http404(_("Không có thao tác này."))
    form = spec.form(request.POST, request.FILES, dossier=dossier, actor=actor, prefix=name)
    message = ""
    if form.is_valid():
        try:
            form.check_fresh()
            message = spec.perform(form, dossier, actor)
        except ConcurrentTransition:
            fresh = _load(actor, pk)
            error = changed_error(fresh)
            form.add_error(None, error.message)
            return _render(request, fresh, actor, failed=(name, form, error.message), status=409)
        except ApplicationError as error:
            form.add_application_error(error, dict(spec.field_map))
            return _render(
                request, _load(actor, pk), actor, failed=(name, form, error.message),
                status=error.status,
            )  # fmt: skip
    else:
        return _render(request, dossier, actor, failed=(name, form, ""), status=422)
    messages.success(request, message)
    try:
        selectors.get_dossier_for(actor, pk)
    except DossierNotFound:
        return redirect("dossiers:worklist")
    return redirect("dossiers:detail", pk=pk)


def _pdf_name(dossier: Dossier, stem: str) -> str:
    return f"{stem}-{dossier.code or dossier.reference}.pdf"


@require_safe
@official_required
def download_form(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    """Serve an issued one-stop form of the dossier (inline, to print)."""
    dossier = _load(request_actor(request), pk)
    issued = (
        documents_selectors.list_issued_documents(subject_type=SUBJECT_TYPE, subject_id=dossier.pk)
        .filter(pk=document_id)
        .first()
    )
    if issued is None:
        raise Http404(_("Không tìm thấy biểu mẫu."))
    return FileResponse(
        documents_selectors.open_issued_document(issued),
        content_type="application/pdf",
        filename=_pdf_name(dossier, f"mau-{issued.form_number}"),
    )


@require_safe
@official_required
def download_result(request: HttpRequest, pk: int, result_id: int) -> FileResponse:
    """Serve the signed result PDF of the dossier."""
    dossier = _load(request_actor(request), pk)
    result = (
        documents_selectors.list_results(subject_type=SUBJECT_TYPE, subject_id=dossier.pk)
        .filter(pk=result_id)
        .first()
    )
    if result is None:
        raise Http404(_("Không tìm thấy kết quả."))
    return FileResponse(
        documents_selectors.open_result_file(result),
        content_type="application/pdf",
        filename=f"{result.code}.pdf",
    )


@require_safe
@official_required
def download_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    """Serve a scanned document of the dossier, or a file its documents point to (uploaded
    online with the draft, or reused from the applicant's data store)."""
    dossier = _load(request_actor(request), pk)
    stored = (
        documents_selectors.list_stored_files(subject_type=SUBJECT_TYPE, subject_id=dossier.pk)
        .filter(pk=file_id)
        .first()
    )
    if stored is None:
        row = dossier.documents.filter(stored_file_id=file_id).select_related("stored_file").first()
        stored = row.stored_file if row is not None else None
    if stored is None:
        raise Http404(_("Không tìm thấy tệp."))
    return FileResponse(
        documents_selectors.open_stored_file(stored),
        content_type=stored.content_type,
        filename=stored.original_name,
    )
