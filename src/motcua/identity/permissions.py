"""Authorisation helpers that every action and selector calls.

"An official only sees and acts on the dossiers of their own agency and role":
``check_roles`` checks the role, ``check_agency_scope`` the agency. Superusers, the
system and system administrators pass both. Each raises ``PermissionDenied`` (a
subclass with its own code) with a message that says what was missing.
"""

from __future__ import annotations

from motcua.agencies.models import Agency
from motcua.agencies.selectors import ancestor_ids
from motcua.identity.errors import MissingRole, OfficialPermissionDenied, OutsideAgencyScope
from motcua.identity.roles import Role
from motcua.kernel.actors import Actor

__all__ = ["check_agency_scope", "check_can_manage_officials", "check_roles", "is_in_agency_scope"]


def check_roles(actor: Actor, *roles: str) -> None:
    """Raise ``MissingRole`` unless ``actor`` holds one of ``roles`` (or is a superuser/system)."""
    if actor.has_role(*roles):
        return
    names = ", ".join(str(Role(role).label) if role in Role.values else role for role in roles)
    raise MissingRole(params={"roles": names})


def _is_unrestricted(actor: Actor) -> bool:
    return actor.is_superuser or actor.is_system or Role.SYSTEM_ADMIN in actor.roles


def is_in_agency_scope(actor: Actor, agency_id: int, *, include_descendants: bool = False) -> bool:
    """Return whether ``actor`` may see and act on data of agency ``agency_id``."""
    if _is_unrestricted(actor):
        return True
    if not actor.is_official or actor.agency_id is None:
        return False
    if actor.agency_id == agency_id:
        return True
    return include_descendants and actor.agency_id in ancestor_ids(agency_id)


def check_agency_scope(actor: Actor, agency_id: int, *, include_descendants: bool = False) -> None:
    """Raise ``OutsideAgencyScope`` unless ``agency_id`` is the actor's agency.

    With ``include_descendants``, agencies below the actor's agency are in scope too
    (a provincial leader watching the communes).
    """
    if not is_in_agency_scope(actor, agency_id, include_descendants=include_descendants):
        raise OutsideAgencyScope()


def check_can_manage_officials(actor: Actor, agency: Agency) -> None:
    """Raise ``OfficialPermissionDenied`` unless ``actor`` may manage the officials of ``agency``.

    Allowed: system administrators, and agency administrators of ``agency`` or of an
    agency above it.
    """
    if actor.has_role(Role.SYSTEM_ADMIN):
        return
    if Role.AGENCY_ADMIN in actor.roles and is_in_agency_scope(
        actor, agency.pk, include_descendants=True
    ):
        return
    raise OfficialPermissionDenied()
