"""Who may create, change and deactivate agencies.

A system administrator may manage any agency; an agency administrator may manage the
agencies *below* their own (never their own agency, nor move one outside their
branch). The role values are those of ``identity.roles.Role``: identity sits on top of
agencies (officials belong to agencies), so agencies may not import it; a test keeps
the two in step.
"""

from __future__ import annotations

from motcua.agencies.errors import AgencyPermissionDenied
from motcua.agencies.models import Agency
from motcua.agencies.selectors import ancestor_ids
from motcua.kernel.actors import Actor

__all__ = [
    "AGENCY_ADMIN_ROLE",
    "SYSTEM_ADMIN_ROLE",
    "check_can_manage_agency",
    "check_can_place_under",
]

SYSTEM_ADMIN_ROLE = "system_admin"
AGENCY_ADMIN_ROLE = "agency_admin"


def _is_system_admin(actor: Actor) -> bool:
    return actor.has_role(SYSTEM_ADMIN_ROLE)


def _is_admin_above(actor: Actor, agency_id: int) -> bool:
    return (
        actor.is_official
        and AGENCY_ADMIN_ROLE in actor.roles
        and actor.agency_id is not None
        and actor.agency_id in ancestor_ids(agency_id)
    )


def check_can_place_under(actor: Actor, parent: Agency | None) -> None:
    """Raise ``AgencyPermissionDenied`` unless ``actor`` may put an agency under ``parent``.

    An agency administrator may use their own agency or any agency below it as the
    parent; a top-level agency (no parent) needs a system administrator.
    """
    if _is_system_admin(actor):
        return
    if (
        parent is not None
        and actor.is_official
        and AGENCY_ADMIN_ROLE in actor.roles
        and actor.agency_id is not None
        and (parent.pk == actor.agency_id or actor.agency_id in ancestor_ids(parent.pk))
    ):
        return
    raise AgencyPermissionDenied()


def check_can_manage_agency(actor: Actor, agency: Agency) -> None:
    """Raise ``AgencyPermissionDenied`` unless ``actor`` may change or deactivate ``agency``."""
    if _is_system_admin(actor) or _is_admin_above(actor, agency.pk):
        return
    raise AgencyPermissionDenied()
