"""Template context shared by every page rendered with a request: site name, header links."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from motcua.web.navigation import (
    API_DOCS_PATH,
    CALENDAR_PATH,
    CATALOG_PATH,
    EID_LOGIN_PATH,
    LOGIN_PATH,
    LOGOUT_PATH,
    build_main_navigation,
)

__all__ = ["site"]


def site(request: HttpRequest) -> dict[str, object]:
    """Return the site name, the main navigation and the paths the layout links to."""
    return {
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
