"""The applicant's pages: finding the order (code + phone, or the citizen account), the
guard against everyone else, the redirect to the platform, the return page that never
pays, and the notification endpoint's reply codes."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.dossiers.states import DossierState
from motcua.identity.models import AssuranceLevel, Citizen, CitizenKind
from motcua.kernel import clock
from motcua.payments import platform
from motcua.payments.models import AttemptStatus, PaymentAttempt, PaymentOrder
from tests.dossiers.factories import World
from tests.payments.conftest import (
    MERCHANT,
    PHONE,
    SECRET,
    awaiting_payment,
    notification,
    payment_snapshot,
    signed,
)


def citizen_client(username: str) -> tuple[Client, int]:
    user = get_user_model().objects.create_user(username, password=None)
    now = clock.now()
    Citizen.objects.create(
        user=user,
        kind=CitizenKind.PERSON,
        issuer="http://127.0.0.1:8103",
        subject=username,
        full_name="Nguyễn Thị Lan",
        assurance_level=AssuranceLevel.LEVEL_2,
        created_at=now,
        verified_at=now,
    )
    client = Client()
    client.force_login(user)
    return client, user.pk


def look_up(client: Client, dossier: Dossier, phone: str = PHONE) -> object:
    return client.post("/thanh-toan/", {"code": dossier.code, "phone": phone})


def test_the_applicant_finds_the_order_by_code_and_phone(world: World, client: Client) -> None:
    dossier = awaiting_payment(world)

    response = look_up(client, dossier, phone="+84 912 345 678")

    order = PaymentOrder.objects.get(dossier=dossier)
    assert response.status_code == 302
    assert response["Location"] == f"/thanh-toan/{order.public_id}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "75.000 đồng" in text
    assert "Lệ phí cấp giấy phép xây dựng" in text
    assert "Thanh toán qua Nền tảng thanh toán" in text
    assert "Nguyễn Thị Lan" not in text  # no personal data on the page
    assert order.items == [
        {"name": "Lệ phí cấp giấy phép xây dựng", "kind": "fee", "amount": 75000}
    ]


@pytest.mark.parametrize("phone", ["0912345679", "5678", ""])
def test_a_wrong_phone_finds_nothing_and_writes_nothing(
    world: World, client: Client, phone: str
) -> None:
    dossier = awaiting_payment(world)
    before = payment_snapshot()

    response = look_up(client, dossier, phone=phone)

    assert response.status_code in (404, 422)
    assert payment_snapshot() == before


def test_a_dossier_with_nothing_to_pay_says_so(world: World, client: Client) -> None:
    from tests.dossiers import flows

    dossier = flows.in_process(world)

    response = look_up(client, dossier)

    assert response.status_code == 409
    assert "không có khoản phí, lệ phí nào chờ nộp" in response.content.decode()
    assert not PaymentOrder.objects.exists()


def test_someone_else_cannot_open_the_payment_page(world: World, client: Client) -> None:
    dossier = awaiting_payment(world)
    location = look_up(client, dossier)["Location"]
    order = PaymentOrder.objects.get(dossier=dossier)
    stranger, _pk = citizen_client("vneid-stranger")
    before = payment_snapshot()

    assert stranger.get(location).status_code == 404
    assert stranger.post(f"/thanh-toan/{order.public_id}/thanh-toan/").status_code == 404
    assert stranger.get(f"/thanh-toan/{order.public_id}/bien-lai/").status_code == 404
    assert Client().get(location).status_code == 404
    assert payment_snapshot() == before


def test_the_citizen_account_that_filed_the_dossier_pays_without_the_phone(world: World) -> None:
    dossier = awaiting_payment(world)
    owner, user_id = citizen_client("vneid-owner")
    # No action sets the filing account yet (online intake comes with the portal sync).
    Dossier.objects.filter(pk=dossier.pk).update(applicant_user_id=user_id)

    page = owner.get("/thanh-toan/")
    assert dossier.code in page.content.decode()
    response = owner.post("/thanh-toan/", {"dossier": dossier.pk})

    order = PaymentOrder.objects.get(dossier=dossier)
    assert response["Location"] == f"/thanh-toan/{order.public_id}/"
    assert owner.get(response["Location"]).status_code == 200
    other, _ = citizen_client("vneid-other")
    assert other.post("/thanh-toan/", {"dossier": dossier.pk}).status_code == 404


def test_paying_redirects_to_the_platform_with_a_signed_request(
    world: World, client: Client
) -> None:
    dossier = awaiting_payment(world)
    location = look_up(client, dossier)["Location"]

    response = client.post(location + "thanh-toan/")

    attempt = PaymentAttempt.objects.get()
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == "http://127.0.0.1:9/checkout"
    fields = dict(parse_qsl(url.query))
    assert platform.verify(fields, SECRET)
    assert fields["merchant"] == MERCHANT
    assert fields["reference"] == attempt.reference
    assert fields["amount"] == "75000"
    assert fields["currency"] == "VND"
    assert fields["return_url"] == "http://testserver/thanh-toan/ket-qua/"
    assert fields["notify_url"] == "http://testserver/thanh-toan/thong-bao/"
    assert attempt.status == AttemptStatus.STARTED
    assert attempt.started_by == "anonymous:anonymous"


def test_the_return_page_shows_processing_and_never_records_the_payment(
    world: World, client: Client
) -> None:
    dossier = awaiting_payment(world)
    location = look_up(client, dossier)["Location"]
    client.post(location + "thanh-toan/")
    attempt = PaymentAttempt.objects.get()
    # The platform's redirect says "paid", correctly signed: still only the notification counts.
    back = notification(attempt)
    before = payment_snapshot()

    response = client.get("/thanh-toan/ket-qua/", back)

    text = response.content.decode()
    assert response.status_code == 200
    assert "Đang xử lý." in text
    assert 'hx-trigger="every 5s"' in text
    assert "Kiểm tra lại tình trạng" in text
    assert payment_snapshot() == before
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.AWAITING_PAYMENT
    assert Client().get("/thanh-toan/ket-qua/", back).status_code == 404


def test_the_notification_endpoint_answers_the_platform_codes(world: World, client: Client) -> None:
    dossier = awaiting_payment(world)
    location = look_up(client, dossier)["Location"]
    client.post(location + "thanh-toan/")
    attempt = PaymentAttempt.objects.get()
    endpoint = "/thanh-toan/thong-bao/"
    platform_client = Client(enforce_csrf_checks=True)
    bad = {**notification(attempt), "signature": "f" * 128}

    assert platform_client.post(endpoint, bad).json() == {
        "code": "97",
        "message": "payments.bad_signature",
    }
    assert platform_client.post(endpoint, notification(attempt, amount=1)).json()["code"] == "04"
    assert (
        platform_client.post(endpoint, notification(attempt, reference="X")).json()["code"] == "01"
    )
    assert platform_client.post(endpoint, notification(attempt)).json() == {
        "code": "00",
        "message": "confirmed",
    }
    assert platform_client.post(endpoint, notification(attempt)).json()["code"] == "02"
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.IN_PROCESS
    page = client.get("/thanh-toan/ket-qua/", {"reference": attempt.reference})
    assert "Thanh toán thành công" in page.content.decode()


def test_the_lookup_is_rate_limited(world: World, client: Client, settings: object) -> None:
    from django.core.cache import cache

    cache.clear()
    dossier = awaiting_payment(world)
    settings.PAYMENT_LOOKUP_RATE = (2, 600)  # type: ignore[attr-defined]

    codes = [look_up(client, dossier, phone="0900000000").status_code for _ in range(3)]

    assert codes == [404, 404, 429]
    cache.clear()


def test_signed_helper_matches_the_protocol() -> None:
    fields = signed({"b": "2", "a": "một"})
    assert platform.canonical(fields) == "a=m%E1%BB%99t&b=2"
    assert platform.verify(fields, SECRET)
