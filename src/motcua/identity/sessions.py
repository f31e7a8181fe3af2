"""The session engine: Django's database sessions, read with one plain statement.

Every request of a logged-in user reads its session. Django's ``db`` engine builds that
read through the ORM (``Session.objects.get(...)``), whose query compilation costs more
CPU than the indexed look-up itself; this engine runs the same ``SELECT`` as written SQL
(the same table, columns and condition, parameters prepared by the model's fields) and
leaves everything else — creation, saving, expiry, cycling keys — to Django's engine.
"""

from __future__ import annotations

import functools
import logging

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.db import connections, router
from django.utils import timezone

__all__ = ["SessionStore"]


@functools.cache
def _select_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    return (
        "SELECT session_key, session_data, expire_date "  # noqa: S608 — the model's own table
        f"FROM {quote(Session._meta.db_table)} WHERE session_key = %s AND expire_date > %s"
    )


class SessionStore(db.SessionStore):
    """``django.contrib.sessions.backends.db.SessionStore`` with a cheaper read."""

    def _get_session_from_db(self) -> Session | None:
        alias = router.db_for_read(Session)
        connection = connections[alias]
        expire = Session._meta.get_field("expire_date")
        params = [self.session_key, expire.get_db_prep_value(timezone.now(), connection)]
        try:
            found = next(iter(Session.objects.raw(_select_sql(alias), params).using(alias)), None)
        except SuspiciousOperation as error:  # as Django's engine does
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            found = None
        if found is None:
            self._session_key = None
        return found
