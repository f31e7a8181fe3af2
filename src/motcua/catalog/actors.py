"""The ``Actor`` of a web or admin user, for the catalogue's API and admin.

``identity.selectors.get_actor`` knows officials and their roles; until it is present
in a tree, a user is an official holding only what the superuser flag implies.
"""

from __future__ import annotations

from typing import Any

from motcua.identity.roles import Role
from motcua.kernel.actors import Actor, ActorKind

__all__ = ["actor_of"]


def actor_of(user: Any) -> Actor:
    """Return the actor acting for ``user`` (anonymous when not logged in)."""
    try:
        from motcua.identity.selectors import get_actor
    except ImportError:  # pragma: no cover - identity app without selectors
        if user is None or not user.is_authenticated:
            return Actor.anonymous()
        return Actor(
            kind=ActorKind.OFFICIAL,
            id=str(user.pk),
            display_name=user.get_username(),
            user_id=user.pk,
            is_superuser=user.is_superuser,
            roles=frozenset({Role.SYSTEM_ADMIN.value}) if user.is_superuser else frozenset(),
        )
    return get_actor(user)
