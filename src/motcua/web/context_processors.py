"""Template context shared by every page rendered with a request: site name, header links."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from motcua.identity.selectors import actor_from_request
from motcua.web.navigation import (
    API_DOCS_PATH,
    CALENDAR_PATH,
    CATALOG_PATH,
    EID_LOGIN_PATH,
    LOGIN_PATH,
    LOGOUT_PATH,
    build_account_navigation,
    build_main_navigation,
)

__all__ = ["site"]


def site(request: HttpRequest) -> dict[str, object]:
    """Return the site name, the navigation, the request's actor and the layout's paths.

    ``actor`` is the one the views use (computed once per request, and only when a
    template asks for it): the header reads the signed-in person's name and links from
    it instead of querying the account's official and citizen records again.
    """
    actor = SimpleLazyObject(lambda: actor_from_request(request))
    return {
        "actor": actor,
        "account_navigation": SimpleLazyObject(
            lambda: build_account_navigation(actor_from_request(request), request.path)
        ),
        "SITE_NAME": settings.MOTCUA["SITE_NAME"],
        "main_navigation": build_main_navigation(request.path),
        "site_paths": {
            "catalog": CATALOG_PATH,
            "calendar": CALENDAR_PATH,
            "api_docs": API_DOCS_PATH,
            "login": LOGIN_PATH,
            "logout": LOGOUT_PATH,
            "eid_login": EID_LOGIN_PATH,
        },
    }
