"""The applicant's payment pages and the platform's notification endpoint.

* ``/thanh-toan/`` — find the fee order of a dossier by its code and the applicant's
  phone (POST, rate-limited like the tracking page; a match grants this browser
  session access to that dossier's orders), or, for a logged-in citizen, pick one of
  their own dossiers awaiting payment.
* ``/thanh-toan/<id>/`` — the order: items, total, state, the "pay" button (a POST that
  redirects to the platform), the receipt once paid.
* ``/thanh-toan/ket-qua/`` — where the platform sends the user back. It never records a
  payment: it shows the state motcua has, "processing" until the verified notification
  (or the reconciliation) settles the attempt, and refreshes itself.
* ``/thanh-toan/thong-bao/`` — the platform's server-to-server notification (no CSRF,
  authenticated by its HMAC), answered with the platform's JSON reply codes.

Anyone who is neither the dossier's citizen account nor holding a grant gets 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.documents import selectors as documents_selectors
from motcua.dossiers.models import Dossier
from motcua.dossiers.paperwork import format_vnd
from motcua.identity.selectors import actor_from_request
from motcua.kernel.errors import ApplicationError
from motcua.kernel.logging import get_logger
from motcua.payments import actions, platform, selectors
from motcua.payments.errors import NothingToPay, NotificationRejected, PaymentNotFound
from motcua.payments.forms import PaymentLookupForm
from motcua.payments.models import AttemptStatus, PaymentOrder
from motcua.payments.states import OrderState

__all__ = [
    "download_receipt",
    "find_order",
    "order_detail",
    "payment_return",
    "platform_notification",
    "start_payment",
]

log = get_logger(__name__)

SESSION_KEY = "payments.granted"
MAX_GRANTS = 20
DEFAULT_RATE = (20, 600)
NOT_FOUND = _(
    "Không tìm thấy hồ sơ với mã số và số điện thoại đã nhập. Hãy kiểm tra lại mã số trên "
    "Giấy tiếp nhận và số điện thoại của người nộp hồ sơ."
)


def _granted(request: HttpRequest) -> frozenset[int]:
    return frozenset(int(pk) for pk in request.session.get(SESSION_KEY, []))


def _grant(request: HttpRequest, dossier_id: int) -> None:
    kept = [pk for pk in request.session.get(SESSION_KEY, []) if pk != dossier_id]
    request.session[SESSION_KEY] = [*kept[-(MAX_GRANTS - 1) :], dossier_id]


def _over_limit(request: HttpRequest) -> bool:
    attempts, seconds = getattr(settings, "PAYMENT_LOOKUP_RATE", DEFAULT_RATE)
    key = "payments:lookup:" + str(request.META.get("REMOTE_ADDR", ""))
    if cache.add(key, 1, timeout=int(seconds)):
        return int(attempts) < 1
    try:
        count = cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=int(seconds))
        count = 1
    return count > int(attempts)


def _own_dossiers(request: HttpRequest) -> list[Dossier]:
    actor = actor_from_request(request)
    if actor.user_id is None or actor.is_official:
        return []
    candidates = Dossier.objects.select_related("procedure_version").filter(
        applicant_user_id=actor.user_id, state__in=selectors.PAYABLE_STATES
    )
    return [d for d in candidates if selectors.owes_online_payment(d)]


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def find_order(request: HttpRequest) -> HttpResponse:
    """Find a dossier's fee order (code + phone, or a citizen's own dossier)."""
    actor = actor_from_request(request)
    error, status = "", 200
    form = PaymentLookupForm(initial={"code": (request.GET.get("ma") or "").strip()[:60]})
    if request.method == "POST":
        dossier: Dossier | None = None
        if request.POST.get("dossier"):
            own = {d.pk: d for d in _own_dossiers(request)}
            dossier = own.get(
                int(request.POST["dossier"]) if request.POST["dossier"].isdigit() else 0
            )
            if dossier is None:
                error, status = str(NOT_FOUND), 404
        else:
            form = PaymentLookupForm(request.POST)
            if _over_limit(request):
                error, status = (
                    str(_("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.")),
                    429,
                )
            elif form.is_valid():
                try:
                    dossier = selectors.find_dossier_for_payer(
                        form.cleaned_data["code"], form.cleaned_data["phone"]
                    )
                except PaymentNotFound:
                    error, status = str(NOT_FOUND), 404
            else:
                status = 422
        if dossier is not None:
            # The code and phone (or the account) were proved above: this session may pay.
            _grant(request, dossier.pk)
            try:
                order = actions.do_open_payment_order(
                    dossier, actor=actor, granted=_granted(request)
                )
            except NothingToPay as exc:
                error, status = exc.message, 409
            else:
                return redirect("payments:order", public_id=order.public_id)
    return render(
        request,
        "payments/find.html",
        {
            "form": form,
            "error": error,
            "own_dossiers": _own_dossiers(request),
            "breadcrumbs": [(_("Nộp phí, lệ phí trực tuyến"), None)],
        },
        status=status,
    )


def _order_or_404(request: HttpRequest, public_id: Any) -> PaymentOrder:
    try:
        return selectors.get_order_for_payer(
            str(public_id), actor=actor_from_request(request), granted=_granted(request)
        )
    except PaymentNotFound:
        raise Http404(str(PaymentNotFound.default_message)) from None


def _order_context(order: PaymentOrder) -> dict[str, Any]:
    dossier = order.dossier
    latest = order.attempts.order_by("-started_at", "-id").first()
    return {
        "order": order,
        "dossier": dossier,
        "items": [(item["name"], format_vnd(int(item["amount"]))) for item in order.items],
        "total": format_vnd(order.amount),
        "is_payable": order.state == OrderState.PENDING and selectors.owes_online_payment(dossier),
        "latest": latest,
        "is_waiting": latest is not None and latest.status == AttemptStatus.STARTED,
    }


@never_cache
@require_safe
def order_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Show a fee order to its applicant."""
    order = _order_or_404(request, public_id)
    context = _order_context(order)
    context["breadcrumbs"] = [
        (_("Nộp phí, lệ phí trực tuyến"), reverse("payments:find")),
        (order.number, None),
    ]
    return render(request, "payments/order.html", context)


@require_POST
def start_payment(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Start an attempt and send the applicant to the platform's checkout."""
    order = _order_or_404(request, public_id)
    locale = "en" if (get_language() or "vi").startswith("en") else "vi"
    try:
        started = actions.do_start_payment(
            order, actor=actor_from_request(request), granted=_granted(request), locale=locale
        )
    except PaymentNotFound:
        raise Http404(str(PaymentNotFound.default_message)) from None
    except ApplicationError as exc:
        context = _order_context(PaymentOrder.objects.select_related("dossier").get(pk=order.pk))
        context |= {"error": exc.message, "breadcrumbs": [(order.number, None)]}
        return render(request, "payments/order.html", context, status=exc.status)
    return redirect(started.checkout_url)


@never_cache
@require_safe
def payment_return(request: HttpRequest) -> HttpResponse:
    """Where the platform sends the applicant back: motcua's state, never the URL's word."""
    try:
        attempt = selectors.get_attempt_for_payer(
            request.GET.get("reference", ""),
            actor=actor_from_request(request),
            granted=_granted(request),
        )
    except PaymentNotFound:
        raise Http404(str(PaymentNotFound.default_message)) from None
    fields = {k: str(v) for k, v in request.GET.items()}
    said = ""
    if platform.verify(fields, platform.PlatformConfig.from_settings().secret):
        said = platform.RESPONSE_CODES.get(fields.get("response_code", ""), "")
    order = PaymentOrder.objects.select_related("dossier").get(pk=attempt.order_id)
    context = _order_context(order) | {
        "attempt": attempt,
        "platform_said": said,
        "breadcrumbs": [
            (_("Nộp phí, lệ phí trực tuyến"), reverse("payments:find")),
            (_("Kết quả thanh toán"), None),
        ],
    }
    return render(request, "payments/return.html", context)


@csrf_exempt
@require_POST
def platform_notification(request: HttpRequest) -> JsonResponse:
    """The platform's signed notification: answer its reply code; log, never the body."""
    fields = {k: str(v) for k, v in request.POST.items()}
    reference = fields.get("reference", "")[:32]
    try:
        attempt = actions.do_handle_notification(fields)
    except NotificationRejected as exc:
        log.warning("payments.notification_rejected", reference=reference, error=exc.code)
        return JsonResponse({"code": exc.reply_code, "message": exc.code})
    except ApplicationError as exc:
        log.warning("payments.notification_failed", reference=reference, error=exc.code)
        return JsonResponse({"code": "99", "message": exc.code})
    log.info("payments.notification_applied", reference=reference, status=attempt.status)
    return JsonResponse({"code": "00", "message": "confirmed"})


@require_safe
def download_receipt(request: HttpRequest, public_id: Any) -> FileResponse:
    """Serve the signed receipt of a paid order to its applicant."""
    order = _order_or_404(request, public_id)
    if order.receipt is None:
        raise Http404(str(_("Biên lai đang được phát hành, vui lòng thử lại sau.")))
    return FileResponse(
        documents_selectors.open_stored_file(order.receipt),
        content_type="application/pdf",
        filename=f"bien-lai-{order.number}.pdf",
    )
