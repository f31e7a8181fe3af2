"""Account pages: officials' login (password) and citizens' login with the national e-ID.

Every page works without JavaScript. The e-ID login is two GETs: ``eid_start`` sends the
visitor to the provider, ``eid_callback`` takes them back (``identity.eid``), records
the login (``do_record_eid_login``) and logs them in; any failure shows a page that
says what happened and what to do, and logs nobody in.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.identity import eid
from motcua.identity.actions import do_log_in, do_record_eid_login
from motcua.identity.errors import EidAssuranceTooLow, EidError, InvalidCredentials, LoginLocked
from motcua.identity.forms import LoginForm
from motcua.kernel.actors import Actor

__all__ = ["eid_callback", "eid_start", "login_view", "logout_view"]


def _is_safe(request: HttpRequest, target: str) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if _is_safe(request, target) else ""


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Show the login form; on POST log in and go to ``next`` or the home page."""
    status = 200
    if request.method == "POST":
        form = LoginForm(request.POST)
        if form.is_valid():
            try:
                do_log_in(
                    request,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                )
            except LoginLocked as error:
                form.add_error(None, error.message)
                form.mark_invalid()
                status = 429
            except InvalidCredentials as error:
                form.add_error(None, error.message)
                form.mark_invalid()
            else:
                return HttpResponseRedirect(
                    _safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)
                )
    else:
        form = LoginForm()
    return render(
        request, "identity/login.html", {"form": form, "next": _safe_next(request)}, status=status
    )


@require_POST
@csrf_protect
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out (POST only, so that a link or an image cannot log anyone out).

    After an e-ID login the provider's session is ended too (RP-initiated logout), and
    the provider sends the visitor back to the home page.
    """
    id_token = request.session.get(eid.ID_TOKEN_SESSION_KEY, "")
    logout(request)
    home = resolve_url(settings.LOGOUT_REDIRECT_URL)
    if id_token:
        url = eid.end_session_url(
            id_token=id_token, post_logout_redirect_uri=request.build_absolute_uri(home)
        )
        if url:
            return HttpResponseRedirect(url)
    return redirect(home)


def _eid_error(request: HttpRequest, error: EidError) -> HttpResponse:
    template = (
        "identity/eid_level.html"
        if isinstance(error, EidAssuranceTooLow)
        else "identity/eid_error.html"
    )
    return render(request, template, {"error": error}, status=error.status)


@never_cache
@require_safe
def eid_start(request: HttpRequest) -> HttpResponse:
    """Send the visitor to the national e-ID provider to log in; come back to ``next``."""
    try:
        url = eid.begin_login(request, next_url=_safe_next(request))
    except EidError as error:
        return _eid_error(request, error)
    return HttpResponseRedirect(url)


@never_cache
@require_safe
def eid_callback(request: HttpRequest) -> HttpResponse:
    """Finish the e-ID login: check, record, log in, and go where the visitor was going."""
    try:
        login = eid.complete_login(request, request.GET)
        citizen = do_record_eid_login(login.claims, actor=Actor.anonymous(), request=request)
    except EidError as error:
        return _eid_error(request, error)
    request.session[eid.ID_TOKEN_SESSION_KEY] = login.id_token
    messages.success(
        request,
        _("Đã đăng nhập bằng tài khoản định danh điện tử: %(name)s.") % {"name": citizen.full_name},
    )
    target = login.next_url if _is_safe(request, login.next_url) else ""
    return HttpResponseRedirect(target or resolve_url(settings.LOGIN_REDIRECT_URL))
