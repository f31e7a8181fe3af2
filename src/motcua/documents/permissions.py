"""Who may issue forms, issue and revoke results: checks used by ``documents.actions``."""

from __future__ import annotations

from motcua.agencies.errors import UnknownAgency
from motcua.agencies.selectors import get_agency_by_code
from motcua.documents.errors import DocumentPermissionDenied
from motcua.identity.roles import Role
from motcua.kernel.actors import Actor, ActorKind

__all__ = ["ISSUER_ROLES", "REVOKER_ROLES", "check_agency_role", "check_can_issue_forms"]

# Who may sign and issue, or revoke, a result of their agency.
ISSUER_ROLES = (Role.SIGNER, Role.REGISTRY, Role.SYSTEM_ADMIN)
REVOKER_ROLES = (Role.SIGNER, Role.SYSTEM_ADMIN)


def check_can_issue_forms(actor: Actor) -> None:
    """Allow officials, API clients and the system; raise ``DocumentPermissionDenied``.

    Forms are issued by desk staff, agencies, integrated systems or jobs, never by a
    citizen or an anonymous visitor; which official may issue which form for which
    dossier is the dossier app's rule.
    """
    if actor.kind not in (ActorKind.OFFICIAL, ActorKind.API_CLIENT, ActorKind.SYSTEM):
        raise DocumentPermissionDenied()


def check_agency_role(actor: Actor, agency_code: str, roles: tuple[str, ...]) -> None:
    """Allow the system, a superuser, or an actor of the agency with one of ``roles``.

    Raise ``DocumentPermissionDenied`` otherwise, also when ``agency_code`` names no
    agency known here (then only the system may act).
    """
    if actor.is_system or actor.is_superuser:
        return
    if actor.agency_id is None or not actor.roles.intersection(roles):
        raise DocumentPermissionDenied()
    try:
        agency = get_agency_by_code(agency_code)
    except UnknownAgency:
        raise DocumentPermissionDenied() from None
    if agency.pk != actor.agency_id:
        raise DocumentPermissionDenied()
