"""Fixtures of the payment tests: the dossier world, a dossier in status 6, signed fields.

The dossier tests' fixtures (``world``, the settable clock, fast PDFs) are reused; the
platform settings are fixed test values so that signatures are reproducible.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from motcua.audit.models import AuditEvent
from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.models import Dossier
from motcua.integration.relay import relay_batch
from motcua.kernel.actors import Actor, ActorKind
from motcua.payments import platform
from motcua.payments.actions import do_open_payment_order, do_start_payment
from motcua.payments.models import PaymentAttempt, PaymentOrder
from tests.dossiers import flows
from tests.dossiers.conftest import fast_pdf, frozen, real_pdf, snapshot, world  # noqa: F401
from tests.dossiers.factories import World

SECRET = "test-payment-secret"
MERCHANT = "MOTCUA-TEST"
PHONE = "0912345678"  # the chain applicant's phone (tests.dossiers.factories)


@pytest.fixture(autouse=True)
def payment_settings() -> Iterator[None]:
    with override_settings(
        PAYMENT_SECRET_KEY=SECRET,
        PAYMENT_MERCHANT_ID=MERCHANT,
        PAYMENT_PUBLIC_BASE_URL="http://testserver",
        PAYMENT_PLATFORM_URL="http://127.0.0.1:9",
        PAYMENT_CHECK_AFTER_SECONDS=60,
        PAYMENT_ATTEMPT_MINUTES=15,
    ):
        yield


def relay_all() -> None:
    """Deliver every due outbox message (consumers of every app)."""
    while relay_batch().claimed:
        pass


def awaiting_payment(reference_world: World) -> Dossier:
    """The inter-agency dossier (75.000 đ fee) at Sở Tư pháp, asked to pay: status 6."""
    dossier = flows.in_process(reference_world)
    dossier_actions.do_request_payment(dossier, actor=reference_world.actors["justice_handler"])
    return dossier


def applicant() -> Actor:
    """An anonymous visitor who proved the dossier code and phone (the session grant)."""
    return Actor.anonymous()


def citizen_actor(user_id: int) -> Actor:
    return Actor(kind=ActorKind.CITIZEN, id=str(user_id), display_name="Công dân", user_id=user_id)


def started(reference_world: World) -> tuple[Dossier, PaymentOrder, PaymentAttempt]:
    """A dossier in status 6, its order, and an attempt started by the applicant."""
    dossier = awaiting_payment(reference_world)
    order = do_open_payment_order(dossier, actor=applicant(), granted={dossier.pk})
    attempt = do_start_payment(order, actor=applicant(), granted={dossier.pk}).attempt
    return dossier, order, attempt


def signed(fields: dict[str, Any], secret: str = SECRET) -> dict[str, str]:
    values = {k: str(v) for k, v in fields.items()}
    return {**values, "signature": platform.sign(values, secret)}


def notification(attempt: PaymentAttempt, **overrides: Any) -> dict[str, str]:
    """The platform's signed notification that ``attempt`` was paid (overrides applied)."""
    fields: dict[str, Any] = {
        "merchant": MERCHANT,
        "reference": attempt.reference,
        "amount": attempt.amount,
        "currency": "VND",
        "transaction_no": "14000001",
        "response_code": "00",
        "pay_date": "20251006091500",
    }
    fields.update(overrides)
    return signed(fields)


def audit_actions(prefix: str) -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith=prefix)
        .order_by("id")
        .values_list("action", flat=True)
    )


def payment_snapshot() -> dict[str, Any]:
    """Everything a notification may write, to compare before and after."""
    return {
        **snapshot(),
        "orders": list(
            PaymentOrder.objects.order_by("pk").values_list(
                "pk", "state", "paid_at", "transaction_no"
            )
        ),
        "attempts": list(
            PaymentAttempt.objects.order_by("pk").values_list(
                "pk", "status", "transaction_no", "settled_at"
            )
        ),
    }
