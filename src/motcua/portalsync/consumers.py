"""The outbox consumer of the portal sync (registered when the app is ready)."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings

from motcua.integration.consumers import consumer
from motcua.integration.models import OutboxMessage
from motcua.portalsync.pushing import push_messages

__all__ = ["CONSUMER_NAME", "push_to_portal"]

CONSUMER_NAME = "portalsync.push"


@consumer("dossiers.dossier.*", name=CONSUMER_NAME, batch=True, ordered=True)
def push_to_portal(messages: list[OutboxMessage]) -> Mapping[int, str] | None:
    """Push every dossier event to the national portal (nothing when sync is switched off)."""
    if not settings.DVCQG_SYNC_ENABLED:
        return None
    return push_messages(messages)
