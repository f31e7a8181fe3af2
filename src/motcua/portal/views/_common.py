"""What the portal pages share: the citizens-only guard and file responses."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from motcua.documents import uploads
from motcua.identity.selectors import actor_from_request
from motcua.kernel.actors import Actor, ActorKind
from motcua.portal.errors import CitizenRequired

__all__ = ["citizen_required", "request_actor", "upload_help"]

View = Callable[..., HttpResponseBase]


def request_actor(request: HttpRequest) -> Actor:
    return actor_from_request(request)


def citizen_required(view: View) -> View:
    """Let only citizens in: anonymous visitors go to the (e-ID) login, others get 403."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(
                request.get_full_path(), getattr(settings, "PORTAL_LOGIN_URL", None)
            )
        if request_actor(request).kind is not ActorKind.CITIZEN:
            raise PermissionDenied(CitizenRequired.default_message)
        return view(request, *args, **kwargs)

    return wrapped


def upload_help(procedure_code: str) -> str:
    """Return the help text under a file input: the formats and sizes accepted."""
    from django.utils.translation import gettext

    kinds = ", ".join(uploads.KINDS[k].label for k in uploads.allowed_types_for(procedure_code))
    return gettext("Định dạng: %(kinds)s. Tối đa %(file)s MB một tệp, %(total)s MB cả hồ sơ.") % {
        "kinds": kinds,
        "file": f"{uploads.max_upload_bytes() / (1024 * 1024):g}",
        "total": f"{uploads.max_subject_bytes() / (1024 * 1024):g}",
    }
