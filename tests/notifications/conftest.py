"""Fixtures of the notification tests: the dossier world and an applicant with contacts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from motcua.dossiers import actions
from motcua.dossiers.actions import ApplicantData
from motcua.dossiers.models import Dossier
from motcua.integration.models import OutboxMessage
from motcua.integration.relay import relay_batch
from tests.dossiers.conftest import fast_pdf, frozen, world  # noqa: F401
from tests.dossiers.factories import PERSONAL_ID, World, chain_submission

EMAIL = "lan.nguyen@example.vn"
PHONE = "0912345678"
NAME = "Nguyễn Thị Lan"


@pytest.fixture(autouse=True)
def notification_settings() -> Iterator[None]:
    with override_settings(
        NOTIFICATIONS_PUBLIC_BASE_URL="https://motcua.example.vn",
        DOCUMENTS_PUBLIC_BASE_URL="https://motcua.example.vn",
        NOTIFICATIONS_RETRY_BASE_SECONDS=30,
        NOTIFICATIONS_MAX_ATTEMPTS=5,
        SMS_GATEWAY_URL="http://127.0.0.1:9",
        SMS_GATEWAY_TOKEN="test-sms-token",
    ):
        yield


def receive(reference_world: World, *, email: str = EMAIL, phone: str = PHONE) -> Dossier:
    """Receive the inter-agency dossier at the desk for an applicant with these contacts."""
    submission = chain_submission(
        reference_world,
        applicant=ApplicantData(
            name=NAME, id_number=PERSONAL_ID, birth_year=2003, is_female=True, phone=phone,
            email=email, address="Số 1 Lê Lợi, phường Hạc Thành",
        ),
    )  # fmt: skip
    return actions.do_receive_at_desk(
        reference_world.desk, actor=reference_world.actors["desk"], submission=submission
    )


def relay_all() -> None:
    while relay_batch().claimed:
        pass


def message_of(topic: str) -> OutboxMessage:
    return OutboxMessage.objects.filter(topic=topic).order_by("-id").first()  # type: ignore[return-value]
