"""Login and logout pages of officials (Django sessions), working without JavaScript."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from motcua.identity.actions import do_log_in
from motcua.identity.errors import InvalidCredentials, LoginLocked
from motcua.identity.forms import LoginForm

__all__ = ["login_view", "logout_view"]


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


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
    """Log out (POST only, so that a link or an image cannot log anyone out)."""
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
