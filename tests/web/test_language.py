"""Vietnamese first: the browser's Accept-Language does not switch the portal to English."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_vietnamese() -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi"' in response.content.decode()


def test_the_chosen_language_is_kept() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


def test_an_unknown_language_cookie_falls_back_to_vietnamese() -> None:
    client = Client()
    client.cookies["django_language"] = "xx"
    assert client.get("/")["Content-Language"] == "vi"
