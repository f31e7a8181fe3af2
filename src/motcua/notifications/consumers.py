"""The outbox consumer of notifications: plan the messages of each dossier event.

Only database rows are written here (exactly once per message thanks to the relay's
delivery record and the rows' unique key); the sending itself is the
``deliver_notification`` task's, enqueued after the relay's transaction commits.
"""

from __future__ import annotations

from motcua.integration.consumers import consumer
from motcua.integration.models import OutboxMessage
from motcua.notifications.actions import do_plan_notifications_many

__all__ = ["plan_notifications"]


@consumer("dossiers.dossier.*", name="notifications.plan", batch=True)
def plan_notifications(messages: list[OutboxMessage]) -> dict[int, str]:
    """Plan the batch's notifications in a fixed number of queries (all or nothing)."""
    do_plan_notifications_many(messages)
    return {}
