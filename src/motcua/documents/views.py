"""The public verification page (no login): the target of the QR code on every result.

``xac-minh/`` takes a result code (then redirects to its page) or a PDF (checked on
the spot, never stored); ``xac-minh/<code>/`` shows whether the result is valid or
revoked, with what may be public: title, issuing agency, dates, SHA-256 and the
holder's name masked. The PDF itself is never served here.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from motcua.documents.errors import UnknownResult
from motcua.documents.selectors import get_result_by_code, verify_result_pdf
from motcua.documents.verification_forms import ResultCodeForm, ResultFileForm

__all__ = ["verify", "verify_code"]


def _breadcrumbs(*extra: tuple[object, str | None]) -> list[tuple[object, str | None]]:
    return [(_("Xác minh kết quả điện tử"), reverse("documents:verify")), *extra]


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Show the two ways to verify; handle the code (redirect) or the PDF (check it)."""
    code_form = ResultCodeForm(prefix="lookup")
    file_form = ResultFileForm(prefix="upload")
    verification = None
    status = 200
    if request.method == "POST" and "lookup-code" in request.POST:
        code_form = ResultCodeForm(request.POST, prefix="lookup")
        if code_form.is_valid():
            return redirect("documents:verify_code", code=code_form.cleaned_data["code"])
        status = 422
    elif request.method == "POST":
        file_form = ResultFileForm(request.POST, request.FILES, prefix="upload")
        if file_form.is_valid():
            verification = verify_result_pdf(file_form.cleaned_data["file"])
        else:
            status = 422
    return render(
        request,
        "documents/verify.html",
        {
            "code_form": code_form,
            "file_form": file_form,
            "verification": verification,
            "breadcrumbs": _breadcrumbs(),
        },
        status=status,
    )


@require_safe
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """Show the public status of result ``code``; 404 with an explanation when unknown."""
    try:
        result = get_result_by_code(code)
    except UnknownResult:
        result = None
    return render(
        request,
        "documents/verify_code.html",
        {
            "code": code,
            "result": result,
            "file_form": ResultFileForm(prefix="upload"),
            "breadcrumbs": _breadcrumbs((code, None)),
        },
        status=200 if result else 404,
    )
