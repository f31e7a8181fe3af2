"""The site's main navigation: which links the header shows and which one is current.

The catalogue, calendar and account pages live in other apps, so their links are plain
paths (the URL prefixes fixed in ``motcua.urls``) rather than reversed names: the header
must render even while one of those apps has no page yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.kernel.actors import Actor, ActorKind
from motcua.portalsync.selectors import can_view_operations

__all__ = [
    "API_DOCS_PATH",
    "CALENDAR_PATH",
    "CATALOG_PATH",
    "EID_LOGIN_PATH",
    "LOGIN_PATH",
    "LOGOUT_PATH",
    "SCOREBOARD_PATH",
    "NavItem",
    "build_account_navigation",
    "build_main_navigation",
]

CATALOG_PATH = "/thu-tuc/"
CALENDAR_PATH = "/lich-lam-viec/"
SCOREBOARD_PATH = "/chi-so-phuc-vu/"
API_DOCS_PATH = "/api/v1/docs"
LOGIN_PATH = "/tai-khoan/dang-nhap/"
LOGOUT_PATH = "/tai-khoan/dang-xuat/"
EID_LOGIN_PATH = "/tai-khoan/vneid/"  # citizens and businesses: the national e-ID
WORKLIST_PATH = "/ho-so/"  # officials' dossiers (motcua.dossiers)
MY_DOSSIERS_PATH = "/ca-nhan/ho-so/"  # citizens' and businesses' own (motcua.portal)
SYNC_OPERATIONS_PATH = "/dong-bo-dvcqg/"  # national portal sync (motcua.portalsync)


@dataclass(frozen=True, slots=True)
class NavItem:
    """One header link; ``is_current`` marks it with ``aria-current="page"``."""

    label: str | Promise
    url: str
    is_current: bool


def build_main_navigation(path: str) -> list[NavItem]:
    """Return the header links for a request to ``path``, the current section marked.

    The home link is current only on the home page itself; the others are current on
    any page under their prefix (``/thu-tuc/123/`` belongs to the catalogue).
    """
    home = reverse("web:home")
    sections: list[tuple[str | Promise, str]] = [
        (_("Thủ tục hành chính"), CATALOG_PATH),
        (_("Lịch làm việc"), CALENDAR_PATH),
        (_("Chỉ số phục vụ"), SCOREBOARD_PATH),
        (_("API"), API_DOCS_PATH),
    ]
    items = [NavItem(label=_("Trang chủ"), url=home, is_current=path == home)]
    items.extend(
        NavItem(label=label, url=url, is_current=path.startswith(url)) for label, url in sections
    )
    return items


def build_account_navigation(actor: Actor, path: str) -> list[NavItem]:
    """Return the header links of the signed-in ``actor``'s own work, the current one marked.

    Officials of an agency get their dossiers; citizens and businesses "My dossiers";
    system administrators and desk staff the national portal sync operations page.
    Computed from the request's actor, so the header costs no query of its own.
    """
    items: list[NavItem] = []
    if actor.kind is ActorKind.OFFICIAL and actor.agency_id is not None:
        items.append(NavItem(_("Hồ sơ"), WORKLIST_PATH, path.startswith(WORKLIST_PATH)))
    if actor.kind is ActorKind.CITIZEN:
        items.append(NavItem(_("Hồ sơ của tôi"), MY_DOSSIERS_PATH, path.startswith("/ca-nhan/")))
    if actor.is_official and can_view_operations(actor):
        current = path.startswith(SYNC_OPERATIONS_PATH)
        items.append(NavItem(_("Đồng bộ DVCQG"), SYNC_OPERATIONS_PATH, current))
    return items
