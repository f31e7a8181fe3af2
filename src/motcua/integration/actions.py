"""The write path of the integration layer: webhook subscriptions, retries, requeues.

Each action validates first (``InvalidSubscription`` with one error per field, nothing
written) and writes one audit row with the change — never the secret.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.audit import actions as audit
from motcua.integration.errors import InvalidSubscription, NotDead
from motcua.integration.models import (
    OutboxMessage,
    OutboxStatus,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookSubscription,
)
from motcua.kernel import clock
from motcua.kernel.actors import Actor

__all__ = [
    "do_create_webhook_subscription",
    "do_requeue_outbox_messages",
    "do_retry_webhook_delivery",
    "do_update_webhook_subscription",
    "new_webhook_secret",
]

_PATTERN = re.compile(r"^[A-Za-z0-9_.*?\[\]-]+$")
_AGGREGATE = "integration.webhooksubscription"


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


def _clean(name: str, url: str, topics: str, secret: str) -> tuple[str, str, str, str]:
    errors: dict[str, list[object]] = {}
    name, url, secret = name.strip(), url.strip(), secret.strip()
    patterns = [line.strip() for line in topics.replace(",", "\n").splitlines() if line.strip()]
    if not name:
        errors["name"] = [_("Phải nhập tên hệ thống nhận.")]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        errors["url"] = [_("Địa chỉ nhận phải là một URL http:// hoặc https:// đầy đủ.")]
    if not patterns:
        errors["topics"] = [_("Phải đăng ký ít nhất một chủ đề.")]
    elif any(not _PATTERN.match(p) for p in patterns):
        errors["topics"] = [
            _("Mẫu chủ đề chỉ gồm chữ, số, dấu chấm, gạch ngang và ký tự đại diện * ?.")
        ]
    if len(secret) < 16:
        errors["secret"] = [_("Khóa bí mật phải dài ít nhất 16 ký tự.")]
    if errors:
        raise InvalidSubscription(field_errors=errors)  # type: ignore[arg-type]
    return name, url, "\n".join(patterns), secret


def do_create_webhook_subscription(
    *,
    actor: Actor,
    name: str,
    url: str,
    topics: str,
    secret: str | None = None,
    is_active: bool = True,
) -> WebhookSubscription:
    """Subscribe ``url`` to ``topics`` (one pattern a line); a secret is generated if none."""
    name, url, topics, secret = _clean(name, url, topics, secret or new_webhook_secret())
    with transaction.atomic():
        now = clock.now()
        subscription = WebhookSubscription.objects.create(
            name=name,
            url=url,
            topics=topics,
            secret=secret,
            is_active=is_active,
            created_at=now,
            updated_at=now,
        )
        audit.record(
            actor=actor,
            action=f"{_AGGREGATE}.create",
            aggregate_type=_AGGREGATE,
            aggregate_id=subscription.pk,
            data={"name": name, "url": url, "topics": topics, "is_active": is_active},
        )
    return subscription


def do_update_webhook_subscription(
    subscription: WebhookSubscription,
    *,
    actor: Actor,
    name: str,
    url: str,
    topics: str,
    secret: str,
    is_active: bool,
) -> WebhookSubscription:
    """Change a subscription; deliveries already owed keep going to the new URL."""
    name, url, topics, secret = _clean(name, url, topics, secret)
    with transaction.atomic():
        changes = {"name": name, "url": url, "topics": topics, "is_active": is_active}
        WebhookSubscription.objects.filter(pk=subscription.pk).update(
            **changes, secret=secret, updated_at=clock.now()
        )
        audit.record(
            actor=actor,
            action=f"{_AGGREGATE}.update",
            aggregate_type=_AGGREGATE,
            aggregate_id=subscription.pk,
            data={**changes, "secret_changed": secret != subscription.secret},
        )
    subscription.refresh_from_db()
    return subscription


def do_retry_webhook_delivery(delivery: WebhookDelivery, *, actor: Actor) -> WebhookDelivery:
    """Send a delivery again now (a dead one gets a fresh series of attempts)."""
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).exclude(
            status=WebhookDeliveryStatus.DELIVERED
        ).update(status=WebhookDeliveryStatus.PENDING, next_attempt_at=clock.now(), attempts=0)
        audit.record(
            actor=actor,
            action="integration.webhookdelivery.retry",
            aggregate_type="integration.webhookdelivery",
            aggregate_id=delivery.pk,
            data={"message_id": str(delivery.message.message_id)},
        )
    delivery.refresh_from_db()
    return delivery


def do_requeue_outbox_messages(messages: Iterable[OutboxMessage], *, actor: Actor) -> int:
    """Give dead outbox messages a fresh series of attempts, oldest first; return the count.

    Raise ``outbox.not_dead`` if one of them is not dead (nothing is written then).
    """
    ids = sorted(m.pk for m in messages)
    if not ids:
        return 0
    with transaction.atomic():
        if OutboxMessage.objects.filter(pk__in=ids).filter(~Q(status=OutboxStatus.DEAD)).exists():
            raise NotDead()
        now = clock.now()
        count = OutboxMessage.objects.filter(pk__in=ids, status=OutboxStatus.DEAD).update(
            status=OutboxStatus.PENDING, attempts=0, available_at=now
        )
        audit.record(
            actor=actor,
            action="integration.outboxmessage.requeue",
            aggregate_type="integration.outboxmessage",
            aggregate_id=ids[0],
            data={"messages": ids[:1000], "count": count},
        )
    return count
