"""The officials' worklist pages kept in the shared cache until one of their dossiers changes.

Why: at 16 officials reading at once, the two cores of the reference machine must serve
200 worklist pages a second for the page's p50 to stay under 80 ms (issue 4), about
10 ms of CPU a page for the web process, PostgreSQL and the client together. A page
costs about that without a cache; the part of it that is the same for every official
of an agency with the same roles — the tab counts, one page of rows, the rows' HTML —
is 4–5 ms of it (bench/RESULTS.md, "Dossiers"). That part is cached here; Django's
request cycle, the session, the actor and the layout are not.

How it stays right:

- Each agency has a version in the cache. A write to a dossier calls ``touch(dossier)``
  (``actions._common.move``, ``record_event``, the registration of a new dossier); once
  the transaction commits, every agency that lists the dossier — its receiving desk and
  the agency holding it, before and after the change — gets a new version (one round
  trip to the cache).
- An entry keeps the version it was computed under. A page read fetches the agency's
  version and the entry in one round trip and uses the entry only if the versions are
  the same. The version is read *before* the database, so a page computed from rows
  older than a commit is stored under the version that commit replaces.
- An entry lives ``DOSSIER_WORKLIST_CACHE_SECONDS`` at most: what changes with the clock
  alone ("due soon" becoming "overdue") shows within that time.
- The key holds everything the page's rows depend on: the agency, the roles that choose
  the tabs and the scope, the official when "to process" is only their own, the tab,
  the filters, the page's cursor and the language. Searches are not cached.

The cache must be shared by every process that writes dossiers (Redis: ``REDIS_URL``):
with a cache per process, a worker's write would not reach the web server's entries.
``DOSSIER_WORKLIST_CACHE_SECONDS`` is 0 — no cache — unless ``REDIS_URL`` is set.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.utils.translation import get_language

from motcua.kernel.actors import Actor

__all__ = ["CachedPage", "agencies_of", "cached_page", "enabled", "touch"]

_PREFIX = "dossiers:worklist"


@dataclass(frozen=True)
class CachedPage:
    """What a worklist page shows that is the same for every official with the same view."""

    counts: dict[str, int]
    rows_html: str
    row_count: int
    next_cursor: str | None


def enabled() -> bool:
    return getattr(settings, "DOSSIER_WORKLIST_CACHE_SECONDS", 0) > 0


def _version_key(agency_id: int) -> str:
    return f"{_PREFIX}:v:{agency_id}"


def agencies_of(dossier: Any) -> frozenset[int]:
    """Return the agencies whose lists show ``dossier``: its receiving desk and its holder."""
    return frozenset({dossier.receiving_desk_id, dossier.current_agency_id} - {None})


def touch(dossier: Any, *, before: frozenset[int] = frozenset()) -> None:
    """Give the agencies listing ``dossier`` a new version once the transaction commits.

    ``before``: ``agencies_of(dossier)`` read before the change (a transfer leaves one
    agency's lists and enters another's). Nothing happens on a rollback.
    """
    if enabled():
        transaction.on_commit(functools.partial(_bump, agencies_of(dossier) | before))


def _new_version() -> int:
    # Random, not an increment: one round trip for every agency, and a version a
    # rolled-back or lost write used is never seen again. An int: Django's Redis
    # serializer stores ints as they are, which ``_bump`` relies on.
    return secrets.randbits(62)


def _bump(agencies: frozenset[int]) -> None:
    version = _new_version()
    values = {_version_key(agency): version for agency in agencies}
    client = _redis_client()
    if client is None:
        cache.set_many(values, timeout=None)
        return
    # What ``cache.set_many(values, timeout=None)`` sends (one MSET of the serialized
    # values), on a client kept for the process: Django's Redis cache builds a client and
    # a pipeline for each call, 0.5 ms of CPU on the reference machine — a tenth of a
    # dossier transition (issue 4).
    client.mset({cache.make_and_validate_key(key): value for key, value in values.items()})


def _redis_client() -> Any:
    """Return a Redis client of the default cache when it is Django's Redis cache."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, RedisCache):
        return None
    return _client_of(backend._cache)  # one per backend instance (one per thread)


@functools.lru_cache(maxsize=16)
def _client_of(backend_client: Any) -> Any:
    return backend_client.get_client(write=True)


def _entry_key(actor: Actor, view: tuple[Any, ...], own: bool) -> str:
    roles = ",".join(sorted(actor.roles))
    parts = (roles, actor.is_superuser, actor.user_id if own else 0, get_language(), *view)
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"{_PREFIX}:{actor.agency_id}:{digest}"


def cached_page(
    actor: Actor, view: tuple[Any, ...], *, own: bool, compute: Callable[[], CachedPage]
) -> CachedPage:
    """Return ``compute()`` for ``actor``'s ``view`` (tab, filters, cursor), from the cache
    when the agency has not changed since it was stored.

    ``own``: the page depends on the official (a handler's own "to process").
    """
    if not enabled() or actor.agency_id is None:
        return compute()
    version_key = _version_key(actor.agency_id)
    key = _entry_key(actor, view, own)
    found = cache.get_many([version_key, key])
    version = found.get(version_key)
    if version is None:
        version = _new_version()
        if not cache.add(version_key, version, timeout=None):  # another process set one
            version = cache.get(version_key)
    entry = found.get(key)
    if entry is not None and version is not None and entry[0] == version:
        return entry[1]
    page = compute()
    if version is not None:
        cache.set(key, (version, page), timeout=settings.DOSSIER_WORKLIST_CACHE_SECONDS)
    return page
