"""The national payment platform's protocol as motcua speaks it (ADR 0016).

Every message in either direction is a flat set of string fields signed with
HMAC-SHA512 over its canonical form: every field but ``signature``, sorted by name,
``name=value`` with names and values percent-encoded (UTF-8, RFC 3986, space as
``%20``), joined by ``&``; the key is the merchant's secret; the signature is lower-case
hex. This is the scheme of VNPay-style gateways (the DVCQG payment platform among them).

* Checkout: the applicant's browser is redirected to ``<platform>/checkout?<fields>``
  with ``version, merchant, reference, amount, currency, order_info, locale,
  return_url, notify_url, created_at, expires_at`` (times ``yyyyMMddHHmmss``, Vietnam
  time). The real platform registers ``notify_url`` per merchant; the fake takes it here.
* Notification (server to server, ``POST notify_url``, form-encoded) and the user's
  return (``GET return_url``): ``merchant, reference, amount, currency,
  transaction_no, response_code, pay_date``. ``response_code`` "00" paid, "24"
  cancelled by the payer, "51" refused, "11" expired. motcua answers the notification
  with JSON ``{"code": …, "message": …}``: "00" recorded, "01" unknown reference,
  "02" already recorded, "04" wrong amount or currency, "97" bad signature, "99" other.
* Query (reconciliation): ``GET <platform>/api/transactions/<reference>?merchant=…&
  requested_at=…&signature=…`` answers signed JSON with ``status`` (``pending``,
  ``paid``, ``failed``, ``cancelled``, ``expired``, ``unknown``) and the notification's
  fields.

Amounts are whole đồng (VND has no minor unit): ``amount=75000`` is 75.000 đ.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import httpx
from django.conf import settings

from motcua.kernel import clock
from motcua.kernel.clock import VN_TZ
from motcua.payments.errors import BadSignature, MalformedNotification, PlatformUnavailable

__all__ = [
    "NOTIFICATION_FIELDS",
    "RESPONSE_CODES",
    "SIGNATURE_FIELD",
    "PlatformClient",
    "PlatformConfig",
    "PlatformTransaction",
    "canonical",
    "format_time",
    "parse_time",
    "sign",
    "verify",
]

SIGNATURE_FIELD = "signature"
NOTIFICATION_FIELDS = (
    "merchant",
    "reference",
    "amount",
    "currency",
    "transaction_no",
    "response_code",
    "pay_date",
)
# response_code → what it means for the attempt.
RESPONSE_CODES = {"00": "paid", "24": "cancelled", "51": "failed", "11": "expired"}
QUERY_STATUSES = frozenset({"pending", "paid", "failed", "cancelled", "expired", "unknown"})


def canonical(fields: Mapping[str, object]) -> str:
    """Return the signed text of ``fields`` (every field but ``signature``, sorted)."""
    pairs = sorted((str(k), str(v)) for k, v in fields.items() if k != SIGNATURE_FIELD)
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def sign(fields: Mapping[str, object], secret: str) -> str:
    """Return the HMAC-SHA512 signature (lower-case hex) of ``fields`` with ``secret``."""
    return hmac.new(secret.encode(), canonical(fields).encode(), hashlib.sha512).hexdigest()


def verify(fields: Mapping[str, object], secret: str) -> bool:
    """Return whether ``fields["signature"]`` is the signature of the other fields."""
    given = str(fields.get(SIGNATURE_FIELD, "")).lower()
    return bool(given) and hmac.compare_digest(given, sign(fields, secret))


def format_time(moment: dt.datetime) -> str:
    """Return ``yyyyMMddHHmmss`` in Vietnam time."""
    return moment.astimezone(VN_TZ).strftime("%Y%m%d%H%M%S")


def parse_time(value: str) -> dt.datetime:
    """Parse ``yyyyMMddHHmmss`` (Vietnam time) to an aware datetime; ``ValueError`` if bad."""
    return dt.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=VN_TZ)


@dataclass(frozen=True)
class PlatformConfig:
    """Where the platform is and who motcua is there (settings ``PAYMENT_*``)."""

    url: str
    merchant_id: str
    secret: str
    public_base_url: str
    timeout: float = 10.0

    @classmethod
    def from_settings(cls) -> PlatformConfig:
        return cls(
            url=str(settings.PAYMENT_PLATFORM_URL).rstrip("/"),
            merchant_id=str(settings.PAYMENT_MERCHANT_ID),
            secret=str(settings.PAYMENT_SECRET_KEY),
            public_base_url=str(settings.PAYMENT_PUBLIC_BASE_URL).rstrip("/"),
            timeout=float(settings.PAYMENT_PLATFORM_TIMEOUT),
        )


@dataclass(frozen=True)
class PlatformTransaction:
    """The platform's answer about one reference (query) or its notification."""

    reference: str
    status: str
    amount: int
    currency: str
    transaction_no: str
    response_code: str
    pay_date: str

    @classmethod
    def from_fields(
        cls, fields: Mapping[str, str], *, status: str | None = None
    ) -> PlatformTransaction:
        missing = [name for name in NOTIFICATION_FIELDS if name not in fields]
        if status is None:
            status = RESPONSE_CODES.get(str(fields.get("response_code", "")), "failed")
        try:
            amount = int(str(fields.get("amount", "")))
        except ValueError:
            missing.append("amount")
        if missing:
            raise MalformedNotification(params={"fields": ", ".join(sorted(set(missing)))})
        return cls(
            reference=str(fields["reference"]),
            status=status,
            amount=amount,
            currency=str(fields["currency"]),
            transaction_no=str(fields["transaction_no"]),
            response_code=str(fields["response_code"]),
            pay_date=str(fields["pay_date"]),
        )

    @property
    def paid_at(self) -> dt.datetime | None:
        try:
            return parse_time(self.pay_date)
        except ValueError:
            return None


class PlatformClient:
    """Builds checkout addresses and queries transactions; the one place motcua calls out."""

    def __init__(self, config: PlatformConfig | None = None) -> None:
        self.config = config or PlatformConfig.from_settings()

    def signed(self, fields: Mapping[str, object]) -> dict[str, str]:
        values = {k: str(v) for k, v in fields.items()}
        values[SIGNATURE_FIELD] = sign(values, self.config.secret)
        return values

    def checkout_url(
        self,
        *,
        reference: str,
        amount: int,
        order_info: str,
        locale: str,
        return_path: str,
        notify_path: str,
        created_at: dt.datetime,
        expires_at: dt.datetime,
    ) -> str:
        """Return the signed address of the platform's checkout page for one attempt."""
        base = self.config.public_base_url
        fields = self.signed(
            {
                "version": "1",
                "merchant": self.config.merchant_id,
                "reference": reference,
                "amount": amount,
                "currency": "VND",
                "order_info": order_info,
                "locale": locale,
                "return_url": base + return_path,
                "notify_url": base + notify_path,
                "created_at": format_time(created_at),
                "expires_at": format_time(expires_at),
            }
        )
        return f"{self.config.url}/checkout?{urlencode(fields)}"

    def query(self, reference: str) -> PlatformTransaction:
        """Ask the platform about ``reference``; raise ``PlatformUnavailable`` or ``BadSignature``."""
        params = self.signed(
            {
                "merchant": self.config.merchant_id,
                "reference": reference,
                "requested_at": format_time(clock.now()),
            }
        )
        try:
            response = httpx.get(
                f"{self.config.url}/api/transactions/{quote(reference, safe='')}",
                params=params,
                timeout=self.config.timeout,
            )
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise PlatformUnavailable() from exc
        if not isinstance(data, dict):
            raise PlatformUnavailable()
        fields = {str(k): str(v) for k, v in data.items()}
        if not verify(fields, self.config.secret):
            raise BadSignature()
        status = fields.get("status", "")
        if status not in QUERY_STATUSES:
            raise MalformedNotification(params={"fields": "status"})
        if status in ("pending", "unknown"):
            return PlatformTransaction(
                reference=reference,
                status=status,
                amount=int(fields.get("amount") or 0),
                currency=fields.get("currency", ""),
                transaction_no=fields.get("transaction_no", ""),
                response_code=fields.get("response_code", ""),
                pay_date=fields.get("pay_date", ""),
            )
        return PlatformTransaction.from_fields(fields, status=status)
