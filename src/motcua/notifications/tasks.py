"""Background work of notifications (``django.tasks``, run by the ``db_worker``).

``deliver_notification`` sends one notification; a failed send enqueues it again for
its next attempt. ``send_due_notifications`` is the sweep (the same as ``motcua
notifications send``): run it periodically as a safety net for a lost task.
"""

from __future__ import annotations

from django.tasks import task

from motcua.notifications.actions import do_deliver_notification, do_send_due_notifications

__all__ = ["deliver_notification", "send_due_notifications"]


@task()
def deliver_notification(notification_id: int) -> str:
    done = do_deliver_notification(notification_id)
    return done.status if done is not None else "nothing_to_do"


@task()
def send_due_notifications() -> dict[str, int]:
    return vars(do_send_due_notifications())
