"""Public tracking ``/tra-cuu-ho-so/`` (no login): a dossier's status for its applicant.

The QR code on every form opens ``?ma=<code>`` with the code filled in; the applicant
adds their phone number or the last four digits of their identification number. The
look-up goes through ``selectors.find_dossier_for_tracking``, which answers the same
"not found" for an unknown code and for a wrong verifier; the page shows no personal
data. The look-up is a POST, so the verifier never lands in addresses or server logs,
and it is rate-limited per client address (setting ``DOSSIER_TRACKING_RATE``,
``(attempts, seconds)``, default 20 per 10 minutes) through Django's cache.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.dossiers import selectors
from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.forms import TrackingForm

__all__ = ["tracking"]

DEFAULT_RATE = (20, 600)
NOT_FOUND = _(
    "Không tìm thấy hồ sơ với mã số và thông tin xác thực đã nhập. Hãy kiểm tra lại mã số "
    "trên Giấy tiếp nhận và số điện thoại (hoặc 4 số cuối số định danh) của người nộp."
)


def _rate() -> tuple[int, int]:
    attempts, seconds = getattr(settings, "DOSSIER_TRACKING_RATE", DEFAULT_RATE)
    return int(attempts), int(seconds)


def _over_limit(request: HttpRequest) -> bool:
    """Count this look-up for the client address; return whether it is over the limit."""
    attempts, seconds = _rate()
    key = "dossiers:tracking:" + str(request.META.get("REMOTE_ADDR", ""))
    if cache.add(key, 1, timeout=seconds):
        return attempts < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=seconds)
        count = 1
    return count > attempts


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def tracking(request: HttpRequest) -> HttpResponse:
    """Show the tracking form; on POST, the dossier's public status or "not found"."""
    found = None
    error = ""
    status = 200
    if request.method == "POST":
        form = TrackingForm(request.POST)
        if _over_limit(request):
            error = str(
                _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.")
                % {"minutes": max(1, _rate()[1] // 60)}
            )
            status = 429
        elif form.is_valid():
            try:
                found = selectors.find_dossier_for_tracking(
                    form.cleaned_data["code"], form.cleaned_data["verifier"]
                )
            except DossierNotFound:
                error, status = str(NOT_FOUND), 404
        else:
            status = 422
    else:
        form = TrackingForm(initial={"code": (request.GET.get("ma") or "").strip()[:60]})
    return render(
        request,
        "dossiers/tracking.html",
        {
            "form": form,
            "found": found,
            "error": error,
            "breadcrumbs": [(_("Tra cứu hồ sơ"), None)],
        },
        status=status,
    )
