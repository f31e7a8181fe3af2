"""Reads of officials, and the ``Actor`` of a user or a request.

``get_actor`` is what every view and API function calls before an action: the actor
carries the agency and the roles that authorisation needs (``identity.permissions``)
and the reference the audit log records.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, Max, QuerySet, StringAgg, Value
from django.http import HttpRequest

from motcua.agencies.models import Agency
from motcua.identity.models import Official, RoleAssignment
from motcua.identity.roles import Role
from motcua.kernel.actors import Actor, ActorKind

__all__ = [
    "ACTOR_ROW_ATTR",
    "actor_columns",
    "actor_from_request",
    "get_actor",
    "get_actor_by_user_id",
    "get_official",
    "list_officials",
    "roles_of",
]

_REQUEST_ATTR = "_motcua_actor"
# Set on a user by ``identity.backends.AccountBackend``: the ``actor_columns`` values.
ACTOR_ROW_ATTR = "_motcua_actor_row"


def roles_of(official_id: int) -> frozenset[str]:
    """Return the role values held by official ``official_id``."""
    return frozenset(
        RoleAssignment.objects.filter(official_id=official_id).values_list("role", flat=True)
    )


def get_actor(user: AbstractBaseUser | AnonymousUser | None) -> Actor:
    """Return the actor for ``user``.

    An active official gives ``ActorKind.OFFICIAL`` with their agency and roles; a
    superuser who is not an official gives an official actor with no agency and the
    system-administrator role; a citizen or business account gives ``ActorKind.CITIZEN``
    (no agency, no role); anyone else (anonymous, inactive, an account that is
    neither) gives ``Actor.anonymous()``, which holds no role.
    """
    if user is None or not user.is_authenticated or not getattr(user, "is_active", False):
        return Actor.anonymous()
    is_superuser = bool(getattr(user, "is_superuser", False))
    account: dict[str, Any] = getattr(user, ACTOR_ROW_ATTR, None) or _account_row(user.pk)
    if account.get("actor_official_active"):
        return Actor(
            kind=ActorKind.OFFICIAL,
            id=str(user.pk),
            display_name=account["actor_official_name"],
            user_id=user.pk,
            agency_id=account["actor_agency_id"],
            roles=frozenset(filter(None, (account["actor_roles"] or "").split(","))),
            is_superuser=is_superuser,
        )
    if account.get("actor_citizen_name") is not None:
        return Actor(
            kind=ActorKind.CITIZEN,
            id=str(user.pk),
            display_name=account["actor_citizen_name"],
            user_id=user.pk,
        )
    if is_superuser:
        return Actor(
            kind=ActorKind.OFFICIAL,
            id=str(user.pk),
            display_name=user.get_username(),
            user_id=user.pk,
            roles=frozenset({Role.SYSTEM_ADMIN.value}),
            is_superuser=True,
        )
    return Actor.anonymous()


def get_actor_by_user_id(user_id: int) -> Actor:
    """Return the actor of account ``user_id`` as ``get_actor`` does (``Actor.anonymous()``
    for no such account or an inactive one), in one query."""
    # The authentication backend's read: the user and their actor row in one statement,
    # compiled once. (It imports this module, hence the import here.)
    from motcua.identity.backends import AccountBackend

    return get_actor(AccountBackend().get_user(user_id))


def _account_row(user_id: Any) -> dict[str, Any]:
    # One query for what every request needs: the account's official record with its
    # roles, and its citizen record (LEFT JOINs on the user's primary key).
    found = (
        get_user_model()
        ._default_manager.filter(pk=user_id)
        .annotate(**actor_columns())
        .values(*actor_columns())
        .order_by()
        .first()
    )
    return dict(found) if found else {}


def actor_columns() -> dict[str, Any]:
    """Return the annotations of a user query that ``get_actor`` reads.

    ``identity.backends.AccountBackend`` adds them to the query that loads each
    request's user, so that the actor costs no query of its own.
    """
    return {
        "actor_agency_id": F("official__agency_id"),
        "actor_official_name": F("official__full_name"),
        "actor_official_active": F("official__is_active"),
        "actor_citizen_name": Max("citizen__full_name"),
        "actor_roles": StringAgg("official__role_assignments__role", Value(",")),
    }


def actor_from_request(request: HttpRequest) -> Actor:
    """Return the actor of ``request.user``, computed once per request."""
    cached: Any = getattr(request, _REQUEST_ATTR, None)
    if isinstance(cached, Actor):
        return cached
    actor = get_actor(getattr(request, "user", None))
    setattr(request, _REQUEST_ATTR, actor)
    return actor


def get_official(official_id: int) -> Official:
    """Return the official with id ``official_id`` (the user's id); raise ``DoesNotExist``."""
    return Official.objects.select_related("user", "agency").get(pk=official_id)


def list_officials(
    *, agency: Agency | None = None, role: str | None = None, include_inactive: bool = False
) -> QuerySet[Official]:
    """Return officials by agency and name, optionally of one agency or holding one role."""
    officials = Official.objects.select_related("agency").prefetch_related("role_assignments")
    if not include_inactive:
        officials = officials.filter(is_active=True)
    if agency is not None:
        officials = officials.filter(agency=agency)
    if role:
        officials = officials.filter(role_assignments__role=role)
    return officials.order_by("agency__code", "full_name")
