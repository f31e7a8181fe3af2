"""Counter reception ``/ho-so/tiep-nhan/``: choose the procedure and case, fill in, decide.

Three steps on one address, each a plain GET or POST: search the catalogue (by code or
name, with or without diacritics) → choose the case when the procedure has several →
the form (applicant, submitter, channels, the checklist of the version's documents
with their scans) and one of three decisions. The decision is a chain of actions run
in one transaction — register the submission, store the scans, then receive (Form
01), ask for a supplement (Form 02) or refuse (Form 03) — so an error anywhere writes
nothing and the form comes back with the error on its field.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from motcua.agencies.models import Agency
from motcua.agencies.selectors import get_agency
from motcua.catalog.models import ProcedureCase, ProcedureDocument, ProcedureVersion
from motcua.catalog.selectors import get_version_in_force, search_procedures
from motcua.dossiers import actions
from motcua.dossiers.forms import ReceptionForm
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import DESK_ROLES
from motcua.dossiers.views._common import official_required, request_actor
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import ApplicationError

__all__ = ["reception"]


class _DocumentError(Exception):
    """An action failed on one document's scan or exemption: show it on that field."""

    def __init__(self, field: str, error: ApplicationError) -> None:
        super().__init__(error.code)
        self.field, self.error = field, error


def _desk_of(actor: Actor) -> Agency:
    if not actor.has_role(*DESK_ROLES) or actor.agency_id is None:
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận tại bộ phận một cửa mới tiếp nhận hồ sơ."))
    desk = get_agency(actor.agency_id)
    if not desk.is_one_stop_desk:
        raise PermissionDenied(_("Cơ quan của bạn không phải là bộ phận một cửa."))
    return desk


def _documents_of(version: ProcedureVersion, case: ProcedureCase) -> list[ProcedureDocument]:
    return [
        document
        for document in version.documents.all()
        if document.case_id is None or document.case_id == case.pk
    ]


def _default_agency(agencies: list[Agency], desk: Agency) -> int | None:
    for agency in agencies:
        if agency.admin_unit_id is not None and agency.admin_unit_id == desk.admin_unit_id:
            return agency.pk
    return agencies[0].pk if agencies else None


@require_http_methods(["GET", "HEAD", "POST"])
@official_required
def reception(request: HttpRequest) -> HttpResponse:
    """Search the procedure, choose the case, then show and handle the reception form."""
    actor = request_actor(request)
    desk = _desk_of(actor)
    code = (request.GET.get("thu_tuc") or "").strip()
    if not code:
        return _search_page(request, desk)
    try:
        version = get_version_in_force(code)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(reverse("dossiers:reception"))
    cases = list(version.cases.all())
    case_code = request.GET.get("truong_hop", "")
    case = next((c for c in cases if c.code == case_code), None)
    if case is None and len(cases) == 1:
        case = cases[0]
    if case is None:
        return render(
            request,
            "dossiers/reception_case.html",
            {"version": version, "cases": cases, "desk": desk, "breadcrumbs": _crumbs(version)},
        )
    agencies = list(version.implementing_agencies.order_by("name"))
    documents = _documents_of(version, case)
    status = 200
    if request.method == "POST":
        form = ReceptionForm(request.POST, request.FILES, documents=documents, agencies=agencies)
        if form.is_valid():
            try:
                dossier, message = _decide(form, desk=desk, actor=actor, version=version, case=case)
            except _DocumentError as failure:
                form.add_error(failure.field, failure.error.message)
            except ApplicationError as error:
                _show_error(form, error)
            else:
                messages.success(request, message)
                return redirect("dossiers:detail", pk=dossier.pk)
        status = 422
    else:
        form = ReceptionForm(
            documents=documents,
            agencies=agencies,
            initial={"competent_agency": _default_agency(agencies, desk)},
        )
    return render(
        request,
        "dossiers/reception_form.html",
        {
            "form": form,
            "rows": form.document_rows(),
            "version": version,
            "case": case,
            "has_many_cases": len(cases) > 1,
            "desk": desk,
            "breadcrumbs": _crumbs(version),
        },
        status=status,
    )


def _crumbs(version: ProcedureVersion | None = None) -> list[tuple[Any, str | None]]:
    crumbs: list[tuple[Any, str | None]] = [(_("Hồ sơ"), reverse("dossiers:worklist"))]
    if version is None:
        return [*crumbs, (_("Tiếp nhận hồ sơ"), None)]
    return [
        *crumbs,
        (_("Tiếp nhận hồ sơ"), reverse("dossiers:reception")),
        (version.code, None),
    ]


def _search_page(request: HttpRequest, desk: Agency) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:200]
    results: list[ProcedureVersion] = []
    total = 0
    if query:
        found = search_procedures(q=query, page_size=20)
        results, total = found.items, found.total
        if not results:
            with contextlib.suppress(ApplicationError):
                results, total = [get_version_in_force(query)], 1
    return render(
        request,
        "dossiers/reception_search.html",
        {
            "query": query,
            "results": results,
            "total": total,
            "desk": desk,
            "breadcrumbs": _crumbs(),
        },
    )


def _decide(
    form: ReceptionForm,
    *,
    desk: Agency,
    actor: Actor,
    version: ProcedureVersion,
    case: ProcedureCase,
) -> tuple[Dossier, str]:
    """Run the chosen decision's actions in one transaction; return the dossier and message."""
    submission = form.submission(procedure_code=version.code, case_code=case.code)
    decision = form.cleaned_data["decision"]
    with transaction.atomic():
        dossier = actions.do_register_submission(desk, actor=actor, submission=submission)
        rows = {row.procedure_document_id: row for row in dossier.documents.all()}
        if decision == ReceptionForm.REFUSE:
            actions.do_refuse_dossier(
                dossier, actor=actor, reason=form.cleaned_data["refuse_reason"]
            )
            return dossier, gettext(
                "Đã từ chối tiếp nhận hồ sơ và lập Phiếu từ chối tiếp nhận (Mẫu 03)."
            )
        for document_id, upload in form.uploads().items():
            try:
                actions.do_digitise_document(rows[document_id], actor=actor, uploaded_file=upload)
            except ApplicationError as error:
                raise _DocumentError(f"doc_{document_id}_file", error) from error
        for document_id, exemption in form.exemptions().items():
            try:
                actions.do_mark_document_exempt(rows[document_id], actor=actor, exemption=exemption)
            except ApplicationError as error:
                raise _DocumentError(f"doc_{document_id}_exemption", error) from error
        if decision == ReceptionForm.SUPPLEMENT:
            ids = {pk: row.pk for pk, row in rows.items()}
            actions.do_request_reception_supplement(
                dossier, actor=actor, items=form.supplement_items(ids)
            )
            return dossier, gettext(
                "Đã lập Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02); hồ sơ chờ người nộp bổ sung."
            )
        actions.do_receive_dossier(dossier, actor=actor)
    due = clock.local(dossier.due_at) if dossier.due_at else None
    return dossier, gettext("Đã tiếp nhận hồ sơ %(code)s; hẹn trả kết quả lúc %(due)s.") % {
        "code": dossier.code,
        "due": f"{due:%H:%M %d/%m/%Y}" if due else "",
    }


def _show_error(form: ReceptionForm, error: ApplicationError) -> None:
    """Put an action's error on the reception form's fields (documents on their rows)."""
    for key in error.field_errors:
        if key.startswith("documents."):
            name = f"doc_{key.split('.', 1)[1]}_provided"
            if name in form.fields:
                form.add_error(name, gettext("Giấy tờ bắt buộc: chưa đánh dấu đã nộp."))
    others = {k: v for k, v in error.field_errors.items() if not k.startswith("documents.")}
    error.field_errors = others
    form.add_application_error(error, ReceptionForm.FIELD_MAP)
