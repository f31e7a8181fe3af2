"""The authentication backend: Django's ``ModelBackend`` whose per-request user load also
reads what the request's ``Actor`` needs.

Every authenticated request loads its user (``AuthenticationMiddleware``) and then its
actor (``identity.selectors.get_actor``: agency, roles, citizen record). Here both come
from one query: the user row with the ``actor_columns`` annotations, kept on the user
for ``get_actor``. Login, permissions and everything else are ``ModelBackend``'s.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User

from motcua.identity.selectors import ACTOR_ROW_ATTR, actor_columns

__all__ = ["AccountBackend"]


class AccountBackend(ModelBackend):
    """``ModelBackend`` whose ``get_user`` reads the user and their actor in one query."""

    def get_user(self, user_id: Any) -> User | None:
        columns = actor_columns()
        user = get_user_model()._default_manager.filter(pk=user_id).annotate(**columns).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        setattr(user, ACTOR_ROW_ATTR, {name: getattr(user, name) for name in columns})
        return user
