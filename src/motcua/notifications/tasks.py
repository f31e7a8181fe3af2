"""Background work of notifications (``django.tasks``, run by the ``db_worker``).

``deliver_notification`` sends one notification; a failed send enqueues it again for
its next attempt. ``deliver_notifications`` sends a batch's new notifications (the
relay plans hundreds at once: one task row per notification was a third of its cost),
each on its own as ``deliver_notification`` would. ``send_due_notifications`` is the sweep (the same as ``motcua
notifications send``): run it periodically as a safety net for a lost task.
"""

from __future__ import annotations

from django.tasks import task

from motcua.kernel.logging import get_logger
from motcua.notifications.actions import do_deliver_notification, do_send_due_notifications

__all__ = ["deliver_notification", "deliver_notifications", "send_due_notifications"]

log = get_logger(__name__)


@task()
def deliver_notification(notification_id: int) -> str:
    done = do_deliver_notification(notification_id)
    return done.status if done is not None else "nothing_to_do"


@task()
def deliver_notifications(notification_ids: list[int]) -> dict[str, int]:
    """Deliver each notification; one that fails unexpectedly is left to the sweep."""
    outcome: dict[str, int] = {}
    for notification_id in notification_ids:
        try:
            status = deliver_notification.call(notification_id)
        except Exception as exc:  # the others must still go; the sweep retries this one
            log.warning("notification.delivery_crashed", id=notification_id, error=repr(exc))
            status = "crashed"
        outcome[status] = outcome.get(status, 0) + 1
    return outcome


@task()
def send_due_notifications() -> dict[str, int]:
    return vars(do_send_due_notifications())
