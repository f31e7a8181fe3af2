"""Reads of notifications: contact keys, masked addresses, an applicant's preferences.

``contact_key`` is an HMAC of the normalised address under the site's secret, so that
preferences can be found by address without storing it. ``preference_for`` combines
the account's preference (when the dossier was filed from a citizen account) with the
contact's (set from an unsubscribe link): a channel is off if either turned it off.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.notifications.models import Channel, ContactPreference, Notification

__all__ = [
    "UNSUBSCRIBE_SALT",
    "ResolvedPreference",
    "contact_key",
    "list_notifications_of",
    "mask_email",
    "mask_phone",
    "preference_for",
    "preferences_for",
    "public_url",
    "read_unsubscribe_token",
    "unsubscribe_url",
]

UNSUBSCRIBE_SALT = "motcua.notifications.unsubscribe"


def _normalise(channel: str, address: str) -> str:
    if channel == Channel.EMAIL:
        return address.strip().lower()
    digits = re.sub(r"\D", "", address or "")
    return "0" + digits[2:] if digits.startswith("84") and len(digits) == 11 else digits


def contact_key(channel: str, address: str) -> str:
    """Return the keyed hash that stands for ``address`` on ``channel``."""
    text = f"{channel}:{_normalise(channel, address)}"
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def mask_email(address: str) -> str:
    """``nguoinop1@vidu.motcua.vn`` → ``ng***@vidu.motcua.vn``."""
    local, _, domain = (address or "").partition("@")
    return f"{local[:2]}***@{domain}" if domain else ""


def mask_phone(phone: str) -> str:
    """``0912000001`` → ``0912***001``."""
    digits = _normalise(Channel.SMS, phone)
    return f"{digits[:4]}***{digits[-3:]}" if len(digits) >= 8 else ""


@dataclass(frozen=True)
class ResolvedPreference:
    email_enabled: bool = True
    sms_enabled: bool = True
    language: str = "vi"

    def allows(self, channel: str) -> bool:
        return self.email_enabled if channel == Channel.EMAIL else self.sms_enabled


def _contact_keys(dossier: Dossier) -> list[str]:
    return [
        contact_key(channel, address)
        for channel, address in (
            (Channel.EMAIL, dossier.applicant_email),
            (Channel.SMS, dossier.applicant_phone),
        )
        if address
    ]


def _resolve(
    account: ContactPreference | None, contacts: list[ContactPreference]
) -> ResolvedPreference:
    chosen = [*contacts, *([account] if account else [])]
    email_enabled = all(p.email_enabled for p in chosen)
    sms_enabled = all(p.sms_enabled for p in chosen)
    languages = [p.language for p in ([account] if account else []) + contacts if p.language]
    return ResolvedPreference(email_enabled, sms_enabled, languages[0] if languages else "vi")


def preference_for(dossier: Dossier) -> ResolvedPreference:
    """Return what the dossier's applicant chose (defaults: both channels, Vietnamese)."""
    return preferences_for([dossier])[dossier.pk]


def preferences_for(dossiers: list[Dossier]) -> dict[int, ResolvedPreference]:
    """Return each dossier's applicant's choices, by dossier id: two queries for any number.

    An opt-out of the filing account or of any of the dossier's contacts wins; the
    language is the account's, else a contact's, else Vietnamese.
    """
    keys = {d.pk: _contact_keys(d) for d in dossiers}
    user_ids = {d.applicant_user_id for d in dossiers if d.applicant_user_id}
    all_keys = {key for found in keys.values() for key in found}
    accounts = (
        {p.user_id: p for p in ContactPreference.objects.filter(user_id__in=user_ids)}
        if user_ids
        else {}
    )
    contacts = (
        {p.contact_key: p for p in ContactPreference.objects.filter(contact_key__in=all_keys)}
        if all_keys
        else {}
    )
    return {
        d.pk: _resolve(
            accounts.get(d.applicant_user_id) if d.applicant_user_id else None,
            [contacts[key] for key in keys[d.pk] if key in contacts],
        )
        for d in dossiers
    }


def public_url(path: str) -> str:
    return str(settings.NOTIFICATIONS_PUBLIC_BASE_URL).rstrip("/") + path


def unsubscribe_url(channel: str, address: str) -> str:
    token = signing.dumps({"k": contact_key(channel, address), "c": channel}, salt=UNSUBSCRIBE_SALT)
    return public_url(reverse("notifications:unsubscribe", kwargs={"token": token}))


def read_unsubscribe_token(token: str) -> tuple[str, str] | None:
    """Return (contact key, channel) of a genuine unsubscribe token, else ``None``."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") not in Channel.values:
        return None
    key = str(data.get("k", ""))
    return (key, str(data["c"])) if len(key) == 64 else None


def list_notifications_of(dossier: Dossier) -> QuerySet[Notification]:
    return Notification.objects.filter(dossier=dossier).order_by("-created_at", "-id")
