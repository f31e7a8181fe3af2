"""The authentication backend: Django's ``ModelBackend`` whose per-request user load also
reads what the request's ``Actor`` needs.

Every authenticated request loads its user (``AuthenticationMiddleware``) and then its
actor (``identity.selectors.get_actor``: agency, roles, citizen record). Here both come
from one query: the user row with the ``actor_columns`` annotations, kept on the user
for ``get_actor``. The query is the same on every request but for the user id, so its
SQL is compiled by the ORM once per process and database and run as a raw query: the
ORM's compilation of this query cost more CPU than running it. Login, permissions and
everything else are ``ModelBackend``'s.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.db import router

from motcua.identity.selectors import ACTOR_ROW_ATTR, actor_columns

__all__ = ["AccountBackend"]

# Stands for the user id while the SQL is compiled; replaced by the real one.
_ANY_ID = -1_999_999_937  # within a 32-bit id: out of range would make the ORM skip the query


@functools.cache
def _user_and_actor_sql(alias: str) -> tuple[str, tuple[Any, ...], int]:
    """Return the SQL, its parameters and where the user id goes in them, for ``alias``."""
    query = (
        get_user_model()
        ._default_manager.using(alias)
        .filter(pk=_ANY_ID)
        .annotate(**actor_columns())
    )
    sql, params = query.query.sql_with_params()
    return sql, tuple(params), params.index(_ANY_ID)


class AccountBackend(ModelBackend):
    """``ModelBackend`` whose ``get_user`` reads the user and their actor in one query."""

    def get_user(self, user_id: Any) -> User | None:
        model = get_user_model()
        alias = router.db_for_read(model)
        sql, template, at = _user_and_actor_sql(alias)
        params = list(template)
        params[at] = model._meta.pk.to_python(user_id)
        user = next(iter(model._default_manager.raw(sql, params).using(alias)), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        setattr(user, ACTOR_ROW_ATTR, {name: getattr(user, name) for name in actor_columns()})
        return user
