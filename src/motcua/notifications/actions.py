"""The write path of notifications: plan them from dossier events, deliver them, and
record the applicants' choices.

Delivery claims a row with a compare-and-set (``pending``/``failed`` and due →
``sending``), sends outside any transaction, then records the outcome: ``sent``, or
``failed`` with the next attempt after an exponential back-off
(``NOTIFICATIONS_RETRY_BASE_SECONDS`` × 2^(attempts−1), capped), ``dead`` after
``NOTIFICATIONS_MAX_ATTEMPTS``. A row is claimed by one worker at a time and never sent
again once ``sent``; a worker that dies mid-send leaves it ``sending``, and the sweep
retries it after ``STALE_SENDING`` (the SMS gateway dedupes on ``client_ref``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from motcua.audit import actions as audit
from motcua.documents import selectors as documents_selectors
from motcua.documents.forms import FormKind
from motcua.dossiers.models import Dossier, SupplementRequest
from motcua.dossiers.paperwork import SUBJECT_TYPE, tracking_url_of
from motcua.integration.models import OutboxMessage
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.logging import get_logger
from motcua.notifications import channels
from motcua.notifications.channels import SendError
from motcua.notifications.messages import MessageContext, render_message
from motcua.notifications.models import (
    Channel,
    ContactPreference,
    Event,
    Notification,
    NotificationStatus,
)
from motcua.notifications.selectors import (
    mask_email,
    mask_phone,
    preference_for,
    preferences_for,
    public_url,
    unsubscribe_url,
)

__all__ = [
    "EVENT_OF_TOPIC",
    "STALE_SENDING",
    "DeliveryStats",
    "do_deliver_notification",
    "do_plan_notifications",
    "do_plan_notifications_many",
    "do_send_due_notifications",
    "do_set_account_preference",
    "do_set_contact_preference",
]

log = get_logger(__name__)

# The dossier events the applicant must know (outbox topics of dossiers.states).
EVENT_OF_TOPIC: dict[str, str] = {
    "dossiers.dossier.receive": Event.RECEIVED,
    "dossiers.dossier.request_reception_supplement": Event.SUPPLEMENT_REQUESTED,
    "dossiers.dossier.request_supplement": Event.SUPPLEMENT_REQUESTED,
    "dossiers.dossier.request_payment": Event.PAYMENT_REQUESTED,
    "dossiers.dossier.sign_result_pending_payment": Event.PAYMENT_REQUESTED,
    "dossiers.dossier.issue_apology": Event.APOLOGY,
    "dossiers.dossier.sign_result": Event.RESULT_READY,
    "dossiers.dossier.record_payment_release": Event.RESULT_READY,
    "dossiers.dossier.return_result": Event.RETURNED,
}
STALE_SENDING = dt.timedelta(minutes=10)
_OPEN = (NotificationStatus.PENDING, NotificationStatus.FAILED)


def _address(dossier: Dossier, channel: str) -> str:
    return (dossier.applicant_email if channel == Channel.EMAIL else dossier.applicant_phone) or ""


def _masked(channel: str, address: str) -> str:
    return mask_email(address) if channel == Channel.EMAIL else mask_phone(address)


def _event_data(event: str, dossier: Dossier, payload: dict[str, Any]) -> dict[str, Any]:
    """What the message needs beyond the dossier row, as it was when the event happened."""
    if event == Event.SUPPLEMENT_REQUESTED:
        request = SupplementRequest.objects.filter(
            pk=int(payload.get("supplement_request") or 0), dossier=dossier
        ).first()
        items = request.items if request is not None else []
        return {"items": [[str(i.get("text", "")), str(i.get("reason", ""))] for i in items]}
    if event == Event.APOLOGY:
        return {"due_at": payload.get("due_at"), "reason": str(payload.get("reason", ""))[:500]}
    if event == Event.PAYMENT_REQUESTED:
        return {"amount": int(dossier.fee_total)}
    return {}


def do_plan_notifications(message: OutboxMessage) -> list[Notification]:
    """Create the notifications of one dossier event, once; return those to send."""
    return do_plan_notifications_many([message])


def do_plan_notifications_many(messages: list[OutboxMessage]) -> list[Notification]:
    """Create the notifications of a batch of dossier events, once; return those to send.

    One row per event and channel: ``skipped`` (``no_contact``, ``opted_out``) or
    ``pending``. An event already planned (its rows exist) creates nothing. The batch
    costs a fixed number of queries — the dossiers, the rows already planned, the
    applicants' choices (two), one ``INSERT`` — plus one per supplement request; the
    sending tasks are enqueued after commit.
    """
    relevant = [(m, EVENT_OF_TOPIC[m.topic]) for m in messages if m.topic in EVENT_OF_TOPIC]
    if not relevant:
        return []
    dossiers = Dossier.objects.in_bulk({int(m.aggregate_id) for m, _event in relevant})
    planned_before = set(
        Notification.objects.filter(
            message_id__in=[m.message_id for m, _event in relevant]
        ).values_list("message_id", flat=True)
    )
    to_plan = [
        (m, event, dossiers[int(m.aggregate_id)])
        for m, event in relevant
        if int(m.aggregate_id) in dossiers and m.message_id not in planned_before
    ]
    if not to_plan:
        return []
    preferences = preferences_for(list({d.pk: d for _m, _e, d in to_plan}.values()))
    now = clock.now()
    rows: list[Notification] = []
    for message, event, dossier in to_plan:
        preference = preferences[dossier.pk]
        data = _event_data(event, dossier, dict(message.payload))
        for channel in (Channel.EMAIL, Channel.SMS):
            address = _address(dossier, channel)
            reason = "" if address else "no_contact"
            if address and not preference.allows(channel):
                reason = "opted_out"
            rows.append(
                Notification(
                    message_id=message.message_id,
                    channel=channel,
                    event=event,
                    dossier=dossier,
                    language=preference.language,
                    recipient_masked=_masked(channel, address),
                    data=data,
                    status=NotificationStatus.SKIPPED if reason else NotificationStatus.PENDING,
                    skip_reason=reason,
                    created_at=now,
                    next_attempt_at=None if reason else now,
                )
            )
    # A concurrent planning of the same event (only a direct call can race the relay,
    # which holds the message) fails the unique key: the batch is retried and then finds
    # the rows.
    with transaction.atomic():
        Notification.objects.bulk_create(rows)
    planned = [n for n in rows if n.status == NotificationStatus.PENDING]
    ids = [n.pk for n in planned]
    transaction.on_commit(lambda: _schedule_many(ids, None))
    return planned


# New notifications are sent by tasks of this many (one task row each, not one per
# notification); a retry is a task of its own, due at its time.
DELIVERY_CHUNK = 50


def _schedule_many(ids: list[int], run_after: dt.datetime | None) -> None:
    from motcua.notifications.tasks import deliver_notification, deliver_notifications

    if run_after is not None:
        for pk in ids:
            deliver_notification.using(run_after=run_after).enqueue(pk)
        return
    for start in range(0, len(ids), DELIVERY_CHUNK):
        chunk = ids[start : start + DELIVERY_CHUNK]
        if len(chunk) == 1:
            deliver_notification.enqueue(chunk[0])
        else:
            deliver_notifications.enqueue(chunk)


def _backoff(attempts: int) -> dt.timedelta:
    base = float(settings.NOTIFICATIONS_RETRY_BASE_SECONDS)
    cap = float(settings.NOTIFICATIONS_RETRY_MAX_SECONDS)
    return dt.timedelta(seconds=min(cap, base * (2 ** max(0, attempts - 1))))


def _context(notification: Notification, address: str) -> MessageContext:
    dossier = notification.dossier
    data = notification.data or {}
    code = dossier.code or dossier.reference
    due = data.get("due_at")
    return MessageContext(
        event=notification.event,
        code=code,
        procedure=dossier.procedure_version.name,
        tracking_url=tracking_url_of(dossier),
        payment_url=public_url(reverse("payments:find")) + f"?ma={code}",
        unsubscribe_url=(
            unsubscribe_url(Channel.EMAIL, address) if notification.channel == Channel.EMAIL else ""
        ),
        received_at=dossier.received_at,
        due_at=dt.datetime.fromisoformat(due) if isinstance(due, str) else dossier.due_at,
        returned_at=dossier.returned_at,
        amount=int(data.get("amount", dossier.fee_total) or 0),
        reason=str(data.get("reason", "")),
        items=tuple((str(text), str(reason)) for text, reason in data.get("items", [])),
    )


def _attachments(notification: Notification) -> list[channels.Attachment]:
    if notification.event != Event.RECEIVED or notification.channel != Channel.EMAIL:
        return []
    form = (
        documents_selectors.list_issued_documents(
            subject_type=SUBJECT_TYPE, subject_id=notification.dossier_id
        )
        .filter(kind=FormKind.RECEIPT_SLIP)
        .first()
    )
    if form is None:
        return []
    with documents_selectors.open_issued_document(form) as handle:
        content = handle.read()
    code = notification.dossier.code or notification.dossier.reference
    return [(f"mau-01-giay-tiep-nhan-{code}.pdf", content, "application/pdf")]


def _send(notification: Notification, address: str) -> str:
    rendered = render_message(
        _context(notification, address), notification.channel, notification.language
    )
    if notification.channel == Channel.EMAIL:
        return channels.send_email(
            to=address,
            subject=rendered.subject,
            body=rendered.text,
            message_id=f"<notification-{notification.pk}.{notification.message_id}@motcua>",
            attachments=_attachments(notification),
        )
    return channels.send_sms(to=address, text=rendered.text, client_ref=f"motcua-{notification.pk}")


def do_deliver_notification(
    notification_id: int, *, at: dt.datetime | None = None
) -> Notification | None:
    """Send one notification if it is due and nobody else is sending it; return it.

    Return ``None`` when there was nothing to do (sent, skipped, dead, not due, or
    claimed by another worker). A refused send is recorded (``failed`` with the next
    attempt, or ``dead``) and scheduled again; it never raises ``SendError``.
    """
    now = at or clock.now()
    stale = now - STALE_SENDING
    claimed = (
        Notification.objects.filter(pk=notification_id)
        .filter(
            Q(status__in=_OPEN, next_attempt_at__lte=now)
            | Q(status=NotificationStatus.SENDING, claimed_at__lte=stale)
        )
        .update(status=NotificationStatus.SENDING, claimed_at=now)
    )
    if not claimed:
        return None
    notification = Notification.objects.select_related("dossier", "dossier__procedure_version").get(
        pk=notification_id
    )
    address = _address(notification.dossier, notification.channel)
    reason = "" if address else "no_contact"
    if address and not preference_for(notification.dossier).allows(notification.channel):
        reason = "opted_out"
    if reason:
        Notification.objects.filter(pk=notification_id, status=NotificationStatus.SENDING).update(
            status=NotificationStatus.SKIPPED,
            skip_reason=reason,
            claimed_at=None,
            next_attempt_at=None,
        )
        notification.refresh_from_db()
        return notification
    attempts = notification.attempts + 1
    try:
        reference = _send(notification, address)
    except SendError as exc:
        dead = attempts >= int(settings.NOTIFICATIONS_MAX_ATTEMPTS)
        next_at = None if dead else now + _backoff(attempts)
        Notification.objects.filter(pk=notification_id, status=NotificationStatus.SENDING).update(
            status=NotificationStatus.DEAD if dead else NotificationStatus.FAILED,
            attempts=attempts,
            last_error=exc.code[:200],
            next_attempt_at=next_at,
            claimed_at=None,
        )
        log.warning(
            "notifications.send_failed",
            notification_id=notification_id,
            channel=notification.channel,
            notification_event=notification.event,
            attempt=attempts,
            error=exc.code,
            gave_up=dead,
        )
        if next_at is not None:
            transaction.on_commit(lambda: _schedule_many([notification_id], next_at))
    else:
        Notification.objects.filter(pk=notification_id, status=NotificationStatus.SENDING).update(
            status=NotificationStatus.SENT,
            attempts=attempts,
            sent_at=clock.now(),
            provider_ref=reference[:200],
            last_error="",
            next_attempt_at=None,
            claimed_at=None,
        )
        log.info(
            "notifications.sent",
            notification_id=notification_id,
            channel=notification.channel,
            notification_event=notification.event,
            attempt=attempts,
        )
    notification.refresh_from_db()
    return notification


@dataclass
class DeliveryStats:
    due: int = 0
    sent: int = 0
    failed: int = 0


def do_send_due_notifications(*, at: dt.datetime | None = None, limit: int = 200) -> DeliveryStats:
    """Deliver every notification that is due (and those stuck ``sending``); the sweep."""
    now = at or clock.now()
    ids = list(
        Notification.objects.filter(
            Q(status__in=_OPEN, next_attempt_at__lte=now)
            | Q(status=NotificationStatus.SENDING, claimed_at__lte=now - STALE_SENDING)
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    stats = DeliveryStats(due=len(ids))
    for pk in ids:
        done = do_deliver_notification(pk, at=now)
        if done is None:
            continue
        if done.status == NotificationStatus.SENT:
            stats.sent += 1
        elif done.status in (NotificationStatus.FAILED, NotificationStatus.DEAD):
            stats.failed += 1
    return stats


# --- preferences -----------------------------------------------------------------------


def _check_language(language: str) -> str:
    codes = {code for code, _label in settings.LANGUAGES}
    return language if language in codes else ""


def do_set_account_preference(
    user_id: int, *, actor: Actor, email_enabled: bool, sms_enabled: bool, language: str
) -> ContactPreference:
    """Record the channels and language a citizen account chose (only its own)."""
    from motcua.kernel.errors import PermissionDenied

    if actor.user_id != user_id or actor.is_official:
        raise PermissionDenied()
    with transaction.atomic():
        preference, _created = ContactPreference.objects.update_or_create(
            user_id=user_id,
            defaults={
                "email_enabled": email_enabled,
                "sms_enabled": sms_enabled,
                "language": _check_language(language),
                "updated_at": clock.now(),
            },
        )
        audit.record(
            actor=actor,
            action="notifications.preference_set",
            aggregate_type="notifications.preference",
            aggregate_id=preference.pk,
            data={"email": email_enabled, "sms": sms_enabled, "language": preference.language},
        )
    return preference


def do_set_contact_preference(
    key: str, *, actor: Actor, channel: str, enabled: bool
) -> ContactPreference:
    """Turn ``channel`` on or off for the contact ``key`` (from an unsubscribe link)."""
    field = "email_enabled" if channel == Channel.EMAIL else "sms_enabled"
    with transaction.atomic():
        preference, _created = ContactPreference.objects.update_or_create(
            contact_key=key, defaults={field: enabled, "updated_at": clock.now()}
        )
        audit.record(
            actor=actor,
            action="notifications.preference_set",
            aggregate_type="notifications.preference",
            aggregate_id=preference.pk,
            data={channel: enabled},
        )
    return preference
