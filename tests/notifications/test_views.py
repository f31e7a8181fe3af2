"""The preference page of a citizen account and the unsubscribe link of an e-mail."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client

from motcua.identity.models import AssuranceLevel, Citizen, CitizenKind
from motcua.kernel import clock
from motcua.notifications.models import ContactPreference
from motcua.notifications.selectors import contact_key, read_unsubscribe_token, unsubscribe_url


def citizen_client() -> tuple[Client, int]:
    user = get_user_model().objects.create_user("vneid-0001", password=None)
    now = clock.now()
    Citizen.objects.create(
        user=user, kind=CitizenKind.PERSON, issuer="http://127.0.0.1:8103", subject="0001",
        full_name="Nguyễn Thị Mai", assurance_level=AssuranceLevel.LEVEL_2, created_at=now,
        verified_at=now,
    )  # fmt: skip
    client = Client()
    client.force_login(user)
    return client, user.pk


def test_a_citizen_chooses_channels_and_language(db: None) -> None:
    client, user_id = citizen_client()

    page = client.get("/tai-khoan/thong-bao/")
    saved = client.post(
        "/tai-khoan/thong-bao/", {"email_enabled": "on", "language": "en"}, follow=True
    )

    assert page.status_code == 200
    assert "Nhận thông báo qua tin nhắn SMS" in page.content.decode()
    assert saved.status_code == 200
    preference = ContactPreference.objects.get(user_id=user_id)
    assert (preference.email_enabled, preference.sms_enabled, preference.language) == (
        True,
        False,
        "en",
    )


def test_the_preference_page_is_for_citizen_accounts_only(db: None, client: Client) -> None:
    assert client.get("/tai-khoan/thong-bao/").status_code == 302
    official = get_user_model().objects.create_user("staff", password=None, is_superuser=True)
    client.force_login(official)
    assert client.get("/tai-khoan/thong-bao/").status_code == 403


def test_bad_language_is_refused_and_nothing_saved(db: None) -> None:
    client, _user_id = citizen_client()

    response = client.post("/tai-khoan/thong-bao/", {"language": "fr"})

    assert response.status_code == 422
    assert not ContactPreference.objects.exists()


def test_the_unsubscribe_link_asks_first_then_stops_the_channel(db: None, client: Client) -> None:
    url = unsubscribe_url("email", "Lan.Nguyen@example.vn")
    path = url.split("://", 1)[1].split("/", 1)[1]

    confirm = client.get("/" + path)
    assert confirm.status_code == 200
    assert not ContactPreference.objects.exists()
    done = client.post("/" + path, {"enabled": "0"})

    assert "Bạn sẽ không nhận thông báo" in done.content.decode()
    preference = ContactPreference.objects.get()
    assert preference.contact_key == contact_key("email", "lan.nguyen@example.vn")
    assert (preference.email_enabled, preference.sms_enabled) == (False, True)
    assert read_unsubscribe_token(path.rstrip("/").rsplit("/", 1)[1]) == (
        preference.contact_key,
        "email",
    )


def test_a_forged_unsubscribe_link_is_not_found(db: None, client: Client) -> None:
    response = client.post("/thong-bao/huy-nhan/forged-token/", {"enabled": "0"})

    assert response.status_code == 404
    assert not ContactPreference.objects.exists()
