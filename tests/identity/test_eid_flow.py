"""The e-ID login end to end: motcua (Django test client) against the local provider
running in a thread, the browser's side at the provider played by httpx.

Every bad input ends on a translated page, with nobody logged in and nothing written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from motcua.audit.models import AuditEvent
from motcua.identity.eid import PENDING_SESSION_KEY
from motcua.identity.models import Citizen, CitizenKind
from motcua.integration.models import OutboxMessage
from tests.identity.eid import (
    BUSINESS,
    LEVEL1,
    LEVEL2,
    log_in_with_eid,
    running_fake_eid,
    sign_in_at_provider,
    start_eid_login,
)

pytestmark = pytest.mark.django_db

CALLBACK = "/tai-khoan/vneid/callback/"


def assert_nothing_written(client: Client) -> None:
    assert get_user_model().objects.count() == 0
    assert Citizen.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert "_auth_user_id" not in client.session


def assert_error_page(response: Any, status: int, code: str, text: str) -> None:
    assert response.status_code == status
    html = response.content.decode()
    assert f"<code>{code}</code>" in html or code == "identity.eid.assurance_too_low"
    assert text in html
    assert "Bạn chưa được đăng nhập và không có thông tin nào được lưu." in html


# -- the happy paths --------------------------------------------------------------------------


def test_a_level_2_citizen_logs_in_with_the_identity_the_provider_verified(
    fake_eid: Any,
) -> None:
    # Given a visitor with a session of their own
    client = Client()
    client.get("/")
    anonymous_key = client.session.session_key

    # When they log in with a level-2 e-ID account, coming from the catalogue
    response = log_in_with_eid(client, LEVEL2.login, next_url="/thu-tuc/")

    # Then they are back where they were, logged in on a new session key
    assert response.status_code == 302
    assert response["Location"] == "/thu-tuc/"
    citizen = Citizen.objects.select_related("user").get()
    assert int(client.session["_auth_user_id"]) == citizen.pk
    assert client.session.session_key != anonymous_key
    assert client.session[PENDING_SESSION_KEY] == {}
    # And the account holds the verified identity
    assert citizen.kind == CitizenKind.PERSON
    assert citizen.issuer == fake_eid.url
    assert citizen.subject == LEVEL2.sub
    assert citizen.full_name == "Nguyễn Văn An"
    assert citizen.birth_date == dt.date(1985, 3, 14)
    assert citizen.personal_id == "038085001234"
    assert citizen.organisation_code == ""
    assert citizen.assurance_level == 2
    assert citizen.phone == "0912345678"
    assert citizen.email == "an.nguyen@example.vn"
    assert citizen.address == "Số 12 đường Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa"
    assert citizen.verified_at == citizen.created_at
    assert citizen.user.username.startswith("eid-")
    assert not citizen.user.has_usable_password()
    assert not citizen.user.is_staff
    # And one audit row names the citizen, without their ID number
    event = AuditEvent.objects.get()
    assert (event.action, event.aggregate_type, event.aggregate_id) == (
        "identity.citizen.logged_in",
        "identity.citizen",
        str(citizen.pk),
    )
    assert event.actor_ref == f"citizen:{citizen.pk}"
    assert event.data == {
        "kind": "person",
        "assurance_level": 2,
        "first_login": True,
        "changed": sorted(
            [
                "address",
                "assurance_level",
                "birth_date",
                "email",
                "full_name",
                "kind",
                "organisation_code",
                "personal_id",
                "phone",
                "representative_name",
            ]
        ),
    }
    assert "038085001234" not in str(event.data)
    assert OutboxMessage.objects.count() == 0
    # And the header greets them by name with a logout button
    html = client.get("/").content.decode()
    assert "Xin chào, <strong>Nguyễn Văn An</strong>" in html
    assert '<form method="post" action="/tai-khoan/dang-xuat/">' in html
    assert "Đã đăng nhập bằng tài khoản định danh điện tử: Nguyễn Văn An." in html


def test_the_identity_is_refreshed_from_the_provider_at_every_login(fake_eid: Any) -> None:
    # Given a citizen who logged in once
    log_in_with_eid(Client(), LEVEL2.login)
    first = Citizen.objects.get()
    # And whose phone and address changed at the provider since
    fake_eid.provider.identities[LEVEL2.login] = dataclasses.replace(
        LEVEL2, phone="0900000001", address="Số 1 đường Trần Phú, phường Hạc Thành"
    )

    # When they log in again
    response = log_in_with_eid(Client(), LEVEL2.login)

    # Then the same account carries the new values
    assert response.status_code == 302
    citizen = Citizen.objects.get()
    assert citizen.pk == first.pk
    assert citizen.phone == "0900000001"
    assert citizen.address == "Số 1 đường Trần Phú, phường Hạc Thành"
    assert citizen.created_at == first.created_at
    assert citizen.verified_at > first.verified_at
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    assert last.data == {
        "kind": "person",
        "assurance_level": 2,
        "first_login": False,
        "changed": ["address", "phone"],
    }
    assert get_user_model().objects.count() == 1


def test_a_business_logs_in_with_its_enterprise_code_and_representative(fake_eid: Any) -> None:
    client = Client()

    response = log_in_with_eid(client, BUSINESS.login)

    assert response.status_code == 302
    assert response["Location"] == "/"
    citizen = Citizen.objects.get()
    assert citizen.kind == CitizenKind.BUSINESS
    assert citizen.full_name == "Công ty TNHH Dịch vụ Hạc Thành"
    assert citizen.organisation_code == "2801234567"
    assert citizen.representative_name == "Phạm Văn Dũng"
    assert citizen.personal_id == "038078002468"
    assert citizen.birth_date is None
    assert citizen.assurance_level == 2


def test_logging_out_ends_the_session_here_and_at_the_provider(fake_eid: Any) -> None:
    # Given a logged-in citizen
    client = Client()
    log_in_with_eid(client, LEVEL2.login)

    # When they log out
    response = client.post("/tai-khoan/dang-xuat/")

    # Then they are logged out here and sent to the provider's end-session endpoint
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{fake_eid.url}/logout"
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert query["client_id"] == ["motcua-test"]
    assert query["id_token_hint"][0].count(".") == 2
    # And the provider sends them back to the home page
    answer = httpx.get(response["Location"], timeout=5)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "http://testserver/"


def test_without_the_provider_logout_is_still_local(fake_eid: Any, settings: Any) -> None:
    client = Client()
    log_in_with_eid(client, LEVEL2.login)
    settings.EID_ISSUER = f"http://127.0.0.1:{_closed_port()}"

    response = client.post("/tai-khoan/dang-xuat/")

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_unsafe_next_address_is_ignored(fake_eid: Any) -> None:
    response = log_in_with_eid(Client(), LEVEL2.login, next_url="https://evil.example/")

    assert response.status_code == 302
    assert response["Location"] == "/"


# -- the citizen stays out of the officials' side -------------------------------------------


@pytest.mark.parametrize("path", ["/ho-so/", "/ho-so/tiep-nhan/", "/ho-so/1/"])
def test_a_citizen_cannot_open_the_officials_pages(fake_eid: Any, path: str) -> None:
    client = Client()
    log_in_with_eid(client, LEVEL2.login)

    response = client.get(path)

    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_a_citizen_cannot_open_the_administration(fake_eid: Any) -> None:
    client = Client()
    log_in_with_eid(client, LEVEL2.login)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert 'href="/ho-so/"' not in client.get("/").content.decode()


# -- bad input: nothing written, nobody logged in -------------------------------------------


def test_a_level_1_account_gets_a_page_saying_what_to_do(fake_eid: Any) -> None:
    client = Client()

    response = log_in_with_eid(client, LEVEL1.login)

    assert_error_page(
        response,
        403,
        "identity.eid.assurance_too_low",
        "Tài khoản định danh điện tử của bạn ở mức 1; cần tài khoản mức 2",
    )
    assert "Cần tài khoản định danh điện tử mức 2" in response.content.decode()
    assert_nothing_written(client)


def test_the_minimum_level_is_a_setting(fake_eid: Any, settings: Any) -> None:
    settings.EID_MIN_ASSURANCE_LEVEL = 1

    response = log_in_with_eid(Client(), LEVEL1.login)

    assert response.status_code == 302
    assert Citizen.objects.get().assurance_level == 1


def test_cancelling_at_the_provider_is_access_denied(fake_eid: Any) -> None:
    client = Client()
    back = sign_in_at_provider(start_eid_login(client), "", cancel=True)
    assert "error=access_denied" in back

    response = client.get(back)

    assert_error_page(response, 403, "identity.eid.access_denied", "Bạn đã hủy đăng nhập")
    assert_nothing_written(client)


def test_a_forged_state_is_refused(fake_eid: Any) -> None:
    client = Client()
    start_eid_login(client)

    response = client.get(CALLBACK, {"code": "anything", "state": "forged-state"})

    assert_error_page(response, 400, "identity.eid.invalid_state", "không hợp lệ hoặc đã hết hạn")
    assert_nothing_written(client)


def test_a_missing_state_is_refused(fake_eid: Any) -> None:
    client = Client()
    back = sign_in_at_provider(start_eid_login(client), LEVEL2.login)
    code = parse_qs(urlsplit(back).query)["code"][0]

    response = client.get(CALLBACK, {"code": code})

    assert_error_page(response, 400, "identity.eid.invalid_state", "không hợp lệ hoặc đã hết hạn")
    assert_nothing_written(client)


def test_a_state_from_another_browser_is_refused(fake_eid: Any) -> None:
    # The classic login CSRF: an attacker's callback URL opened in the victim's browser.
    attacker, victim = Client(), Client()
    back = sign_in_at_provider(start_eid_login(attacker), LEVEL2.login)
    victim.get("/")

    response = victim.get(back)

    assert_error_page(response, 400, "identity.eid.invalid_state", "không hợp lệ hoặc đã hết hạn")
    assert_nothing_written(victim)


def test_an_expired_state_is_refused(fake_eid: Any) -> None:
    client = Client()
    back = sign_in_at_provider(start_eid_login(client), LEVEL2.login)

    later = timezone.now() + dt.timedelta(seconds=601)
    with mock.patch("motcua.kernel.clock.now", return_value=later):
        response = client.get(back)

    assert_error_page(response, 400, "identity.eid.invalid_state", "không hợp lệ hoặc đã hết hạn")
    assert_nothing_written(client)


def test_a_state_is_used_once(fake_eid: Any) -> None:
    client = Client()
    back = sign_in_at_provider(start_eid_login(client), LEVEL2.login)
    assert client.get(back).status_code == 302
    client.post("/tai-khoan/dang-xuat/")

    response = client.get(back)

    assert_error_page(response, 400, "identity.eid.invalid_state", "không hợp lệ hoặc đã hết hạn")
    assert "_auth_user_id" not in client.session


def test_a_replayed_authorization_code_is_refused(fake_eid: Any) -> None:
    # Given a code already exchanged by a finished login
    first = Client()
    back = sign_in_at_provider(start_eid_login(first), LEVEL2.login)
    assert first.get(back).status_code == 302
    code = parse_qs(urlsplit(back).query)["code"][0]
    writes = (Citizen.objects.count(), AuditEvent.objects.count())
    # When another login (with a fresh, valid state) brings the same code back
    client = Client()
    authorize = start_eid_login(client)
    state = parse_qs(urlsplit(authorize).query)["state"][0]

    response = client.get(CALLBACK, {"code": code, "state": state})

    # Then the provider refuses it and nothing more is written
    assert_error_page(response, 400, "identity.eid.code_rejected", "mã xác thực")
    assert (Citizen.objects.count(), AuditEvent.objects.count()) == writes
    assert "_auth_user_id" not in client.session


def test_a_wrong_pkce_verifier_is_refused(fake_eid: Any) -> None:
    client = Client()
    back = sign_in_at_provider(start_eid_login(client), LEVEL2.login)
    session = client.session
    pending = session[PENDING_SESSION_KEY]
    for entry in pending.values():
        entry["verifier"] = "x" * 64
    session[PENDING_SESSION_KEY] = pending
    session.save()

    response = client.get(back)

    assert_error_page(response, 400, "identity.eid.code_rejected", "mã xác thực")
    assert_nothing_written(client)


@pytest.mark.parametrize(
    "fault", ["bad_signature", "wrong_audience", "wrong_issuer", "expired", "wrong_nonce"]
)
def test_an_id_token_that_fails_a_check_is_refused(fake_eid: Any, fault: str) -> None:
    client = Client()
    back = sign_in_at_provider(start_eid_login(client), LEVEL2.login)
    fake_eid.provider.faults.add(fault)

    response = client.get(back)

    assert_error_page(response, 400, "identity.eid.invalid_id_token", "không hợp lệ")
    assert_nothing_written(client)


def test_userinfo_about_another_subject_is_refused(fake_eid: Any) -> None:
    client = Client()
    back = sign_in_at_provider(start_eid_login(client), LEVEL2.login)
    fake_eid.provider.faults.add("other_subject")

    response = client.get(back)

    assert_error_page(response, 400, "identity.eid.invalid_id_token", "không hợp lệ")
    assert_nothing_written(client)


@pytest.mark.parametrize("fault", ["token_500", "userinfo_500"])
def test_a_provider_answering_500_gives_a_try_again_later_page(fake_eid: Any, fault: str) -> None:
    client = Client()
    back = sign_in_at_provider(start_eid_login(client), LEVEL2.login)
    fake_eid.provider.faults.add(fault)

    response = client.get(back)

    assert_error_page(response, 503, "identity.eid.provider_unavailable", "tạm thời không phản hồi")
    assert_nothing_written(client)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_provider_that_is_down_gives_a_try_again_later_page(fake_eid: Any, settings: Any) -> None:
    settings.EID_ISSUER = f"http://127.0.0.1:{_closed_port()}"
    client = Client()

    response = client.get("/tai-khoan/vneid/")

    assert_error_page(response, 503, "identity.eid.provider_unavailable", "tạm thời không phản hồi")
    assert_nothing_written(client)


def test_a_provider_going_down_before_the_callback_gives_the_same_page(settings: Any) -> None:
    client = Client()
    with running_fake_eid(settings) as fake:
        back = sign_in_at_provider(start_eid_login(client), LEVEL2.login)
        fake.server.stop()

        response = client.get(back)

    assert_error_page(response, 503, "identity.eid.provider_unavailable", "tạm thời không phản hồi")
    assert_nothing_written(client)


def test_a_callback_from_another_issuer_is_refused(fake_eid: Any) -> None:
    # RFC 9207: the "iss" of the authorization response must be the provider's.
    client = Client()
    back = sign_in_at_provider(start_eid_login(client), LEVEL2.login)
    forged = back.replace("iss=", "iss=http%3A%2F%2Fmix-up.invalid&was=")

    response = client.get(forged)

    assert_error_page(response, 400, "identity.eid.invalid_state", "không hợp lệ hoặc đã hết hạn")
    assert_nothing_written(client)


def test_the_error_pages_speak_english_too(fake_eid: Any) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    start_eid_login(client)

    response = client.get(
        CALLBACK, {"code": "x", "state": "forged"}, headers={"accept-language": "en"}
    )

    assert response.status_code == 400
    assert "is not valid or has expired" in response.content.decode()


def test_the_public_pages_offer_the_e_id_login_beside_the_officials_login() -> None:
    client = Client()

    home = client.get("/thu-tuc/").content.decode()
    officials = client.get("/tai-khoan/dang-nhap/?next=/ho-so/").content.decode()

    assert (
        '<a class="btn btn-light btn-sm" href="/tai-khoan/vneid/?next=/thu-tuc/">'
        "Đăng nhập bằng tài khoản định danh điện tử (VNeID)</a>"
    ) in home
    assert 'href="/tai-khoan/dang-nhap/?next=/thu-tuc/">Cán bộ đăng nhập</a>' in home
    assert (
        'Công dân, doanh nghiệp: <a href="/tai-khoan/vneid/?next=/ho-so/">'
        "Đăng nhập bằng tài khoản định danh điện tử (VNeID)</a>"
    ) in officials
