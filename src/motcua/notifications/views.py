"""The applicant's choices: the preference page of a citizen account, and the
unsubscribe link of each e-mail (no login: the signed token names the contact).

The unsubscribe link only shows a confirmation; the change is a POST, so that a mail
scanner following links unsubscribes nobody.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.identity.selectors import actor_from_request
from motcua.notifications.actions import do_set_account_preference, do_set_contact_preference
from motcua.notifications.forms import PreferenceForm
from motcua.notifications.models import Channel, ContactPreference
from motcua.notifications.selectors import read_unsubscribe_token

__all__ = ["preferences", "unsubscribe"]


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """A citizen account's channels and language for notifications."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actor = actor_from_request(request)
    if actor.kind.value != "citizen" or actor.user_id is None:
        raise PermissionDenied(_("Trang này dành cho tài khoản công dân, doanh nghiệp."))
    current = ContactPreference.objects.filter(user_id=actor.user_id).first()
    initial = {
        "email_enabled": current.email_enabled if current else True,
        "sms_enabled": current.sms_enabled if current else True,
        "language": (current.language if current else "") or "vi",
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            do_set_account_preference(
                actor.user_id,
                actor=actor,
                email_enabled=form.cleaned_data["email_enabled"],
                sms_enabled=form.cleaned_data["sms_enabled"],
                language=form.cleaned_data["language"],
            )
            messages.success(request, _("Đã lưu lựa chọn nhận thông báo."))
            return redirect("notifications:preferences")
        status = 422
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "breadcrumbs": [(_("Nhận thông báo"), None)]},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm, then stop (or restart) one channel for the contact in the token."""
    found = read_unsubscribe_token(token)
    if found is None:
        raise Http404(_("Đường dẫn không hợp lệ hoặc đã bị thay đổi."))
    key, channel = found
    done = None
    if request.method == "POST":
        enabled = request.POST.get("enabled") == "1"
        do_set_contact_preference(
            key, actor=actor_from_request(request), channel=channel, enabled=enabled
        )
        done = enabled
    current = ContactPreference.objects.filter(contact_key=key).first()
    field = "email_enabled" if channel == Channel.EMAIL else "sms_enabled"
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "channel_label": Channel(channel).label,
            "is_enabled": getattr(current, field) if current else True,
            "done": done,
            "breadcrumbs": [(_("Nhận thông báo"), None)],
        },
    )
