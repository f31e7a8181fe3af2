"""Reads of online payment, and who may see a fee order.

A fee order is the applicant's: the citizen account that filed the dossier online, or
whoever proved they hold the dossier by its code and the applicant's phone number (as
on the public tracking page) in this browser session. Everyone else gets the same
"not found" as for an order that does not exist, so that an address reveals nothing.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Collection, Iterable

from django.db.models import QuerySet

from motcua.dossiers.models import Dossier
from motcua.dossiers.states import DossierState
from motcua.kernel.actors import Actor
from motcua.payments.errors import PaymentNotFound
from motcua.payments.models import AttemptStatus, PaymentAttempt, PaymentOrder
from motcua.payments.states import OrderState

__all__ = [
    "PAYABLE_STATES",
    "can_pay",
    "find_dossier_for_payer",
    "get_attempt_for_payer",
    "get_open_order",
    "get_order_for_payer",
    "list_attempts_to_check",
    "list_orders_of",
    "owes_online_payment",
    "paid_online_dossier_ids",
    "phone_digits",
]

# Status 6 (before or after the result is signed), and a ready result whose procedure
# lets the applicant pay at collection (they may pay online before coming).
PAYABLE_STATES = frozenset(
    {DossierState.AWAITING_PAYMENT, DossierState.RESULT_AWAITING_PAYMENT, DossierState.RESULT_READY}
)


def paid_online_dossier_ids(dossier_ids: Iterable[int]) -> set[int]:
    """Return which of ``dossier_ids`` had fees paid through the payment platform."""
    return set(
        PaymentOrder.objects.filter(
            dossier_id__in=list(dossier_ids), state=OrderState.PAID
        ).values_list("dossier_id", flat=True)
    )


def owes_online_payment(dossier: Dossier) -> bool:
    """Return whether ``dossier`` has fees to pay now that online payment can settle."""
    return dossier.has_outstanding_fees and dossier.state in PAYABLE_STATES


def phone_digits(value: str) -> str:
    """Return the digits of a Vietnamese phone number, ``+84 912…`` as ``0912…``."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def find_dossier_for_payer(code: str, phone: str) -> Dossier:
    """Return the dossier ``code`` when ``phone`` is its applicant's phone number.

    Raise ``payments.not_found`` for an unknown code and a wrong phone alike.
    """
    dossier = (
        Dossier.objects.select_related("procedure_version")
        .filter(code=(code or "").strip())
        .first()
    )
    given = phone_digits(phone)
    expected = phone_digits(dossier.applicant_phone) if dossier is not None else ""
    if dossier is None or len(given) < 9 or not expected:
        raise PaymentNotFound()
    if not hmac.compare_digest(given, expected):
        raise PaymentNotFound()
    return dossier


def can_pay(dossier: Dossier, actor: Actor, granted: Collection[int]) -> bool:
    """Return whether ``actor`` (with the dossiers ``granted`` to this session) may pay."""
    if dossier.pk in granted:
        return True
    return actor.user_id is not None and actor.user_id == dossier.applicant_user_id


def get_order_for_payer(public_id: str, *, actor: Actor, granted: Collection[int]) -> PaymentOrder:
    """Return the order with ``public_id`` if ``actor`` may see it; else ``payments.not_found``."""
    order = (
        PaymentOrder.objects.select_related("dossier", "dossier__procedure_version", "receipt")
        .filter(public_id=public_id)
        .first()
    )
    if order is None or not can_pay(order.dossier, actor, granted):
        raise PaymentNotFound()
    return order


def get_attempt_for_payer(
    reference: str, *, actor: Actor, granted: Collection[int]
) -> PaymentAttempt:
    """Return the attempt ``reference`` if ``actor`` may see its order; else ``not_found``."""
    attempt = (
        PaymentAttempt.objects.select_related("order", "order__dossier")
        .filter(reference=(reference or "").strip()[:32])
        .first()
    )
    if attempt is None or not can_pay(attempt.order.dossier, actor, granted):
        raise PaymentNotFound()
    return attempt


def get_open_order(dossier: Dossier) -> PaymentOrder | None:
    """Return the dossier's order waiting for payment, if any."""
    return PaymentOrder.objects.filter(dossier=dossier, state=OrderState.PENDING).first()


def list_orders_of(dossier: Dossier) -> QuerySet[PaymentOrder]:
    """Return every order of ``dossier``, newest first."""
    return PaymentOrder.objects.filter(dossier=dossier).order_by("-created_at", "-id")


def list_attempts_to_check(at: object, *, limit: int = 100) -> QuerySet[PaymentAttempt]:
    """Return attempts still waiting for a result whose check is due at ``at``."""
    return (
        PaymentAttempt.objects.filter(status=AttemptStatus.STARTED, next_check_at__lte=at)
        .select_related("order")
        .order_by("next_check_at", "id")[:limit]
    )
