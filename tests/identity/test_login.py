"""Logging in: clear errors, accessible form, lock-out after five failures, logout by POST."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.test import Client

from motcua.audit.models import AuditEvent
from motcua.identity.actions import do_deactivate_official
from motcua.identity.lockout import throttle_key
from motcua.identity.models import LoginThrottle
from motcua.kernel.actors import Actor
from tests.identity.conftest import PASSWORD, Officials

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.identity.urls")]

LOGIN = "/tai-khoan/dang-nhap/"
LOGOUT = "/tai-khoan/dang-xuat/"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKED = "Đã đăng nhập sai 5 lần với tên đăng nhập này nên việc đăng nhập tạm bị khóa. Vui lòng thử lại sau 15 phút."
START = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.moment = START
        monkeypatch.setattr("motcua.kernel.clock.now", lambda: self.moment)

    def advance(self, **delta: float) -> None:
        self.moment += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def log_in(client: Client, username: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_the_login_page_has_labelled_fields_with_autocomplete(client: Client) -> None:
    response = client.get(LOGIN)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="form-label" for="id_username">Tên đăng nhập</label>' in html
    assert '<label class="form-label" for="id_password">Mật khẩu</label>' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert "csrfmiddlewaretoken" in html
    assert "aria-invalid" not in html
    assert "<title>Đăng nhập – " in html


def test_the_right_password_logs_in_and_goes_home(
    client: Client, officials: Officials, clock: Clock
) -> None:
    response = log_in(client, "thuly", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) == str(officials.handler.pk)
    event = AuditEvent.objects.get(action="identity.official.logged_in")
    assert (event.actor_ref, event.actor_name) == (
        f"official:{officials.handler.pk}",
        "Vũ Thị Hương",
    )


def test_a_wrong_password_shows_one_clear_error_linked_to_the_fields(
    client: Client, officials: Officials
) -> None:
    response = log_in(client, "thuly", "sai-mat-khau")

    html = response.content.decode()
    assert response.status_code == 200
    assert logged_in_user_id(client) is None
    assert html.count(WRONG) == 1
    assert f'<a href="#id_username" class="alert-link">{WRONG}</a>' in html
    assert html.count('aria-invalid="true"') == 2
    assert html.count('aria-describedby="login-error"') == 2
    assert 'value="thuly"' in html
    assert PASSWORD not in html
    assert "sai-mat-khau" not in html


def test_missing_fields_are_reported_on_each_field(client: Client, db: None) -> None:
    response = log_in(client, "", "")

    html = response.content.decode()
    assert (
        '<a href="#id_username" class="alert-link">Tên đăng nhập: Vui lòng nhập tên đăng nhập.</a>'
        in html
    )
    assert (
        '<div class="invalid-feedback" id="id_password_error">Vui lòng nhập mật khẩu.</div>' in html
    )
    assert 'aria-describedby="id_username_error"' in html
    assert 'class="form-control is-invalid"' in html


def test_five_failures_lock_the_username_even_for_the_right_password(
    client: Client, officials: Officials, clock: Clock
) -> None:
    for _attempt in range(4):
        assert WRONG in log_in(client, "thuly", "sai").content.decode()
    fifth = log_in(client, "thuly", "sai")
    clock.advance(minutes=5)
    sixth = log_in(client, "thuly", PASSWORD)

    assert (fifth.status_code, sixth.status_code) == (429, 429)
    assert LOCKED in fifth.content.decode()
    assert "Vui lòng thử lại sau 10 phút." in sixth.content.decode()
    assert logged_in_user_id(client) is None
    assert AuditEvent.objects.filter(action="identity.login.locked").count() == 1

    clock.advance(minutes=10, seconds=1)
    after = log_in(client, "thuly", PASSWORD)

    assert after.status_code == 302
    assert logged_in_user_id(client) == str(officials.handler.pk)
    assert LoginThrottle.objects.count() == 0


def test_the_count_is_per_folded_username_and_kept_in_the_database(
    client: Client, officials: Officials, clock: Clock
) -> None:
    for username in ["thuly", "THULY", " Thuly ", "thúly"]:
        log_in(client, username, "sai")

    row = LoginThrottle.objects.get()
    assert (row.key, row.failures, row.locked_until) == (throttle_key("thuly"), 4, None)
    assert "thuly" not in row.key
    assert log_in(Client(), "ThuLy", "sai").status_code == 429  # another browser, same count


def test_unknown_usernames_are_counted_like_real_ones(
    client: Client, db: None, clock: Clock
) -> None:
    responses = [log_in(client, "khong-ton-tai", "sai") for _ in range(5)]

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]


def test_failures_older_than_the_window_are_forgotten(
    client: Client, officials: Officials, clock: Clock
) -> None:
    for _attempt in range(4):
        log_in(client, "thuly", "sai")
    clock.advance(minutes=16)

    fifth = log_in(client, "thuly", "sai")

    assert fifth.status_code == 200
    assert LoginThrottle.objects.get().failures == 1


def test_a_success_resets_the_count(client: Client, officials: Officials, clock: Clock) -> None:
    for _attempt in range(4):
        log_in(client, "thuly", "sai")
    log_in(client, "thuly", PASSWORD)
    client.post(LOGOUT)

    responses = [log_in(client, "thuly", "sai") for _ in range(4)]

    assert [r.status_code for r in responses] == [200, 200, 200, 200]


def test_a_deactivated_official_cannot_log_in(client: Client, officials: Officials) -> None:
    do_deactivate_official(officials.handler, actor=Actor.system("tests"))

    response = log_in(client, "thuly", PASSWORD)

    assert WRONG in response.content.decode()
    assert logged_in_user_id(client) is None


def test_next_is_followed_only_within_the_site(client: Client, officials: Officials) -> None:
    inside = log_in(client, "thuly", PASSWORD, next="/thu-tuc/?q=khai+sinh")
    client.post(LOGOUT)
    outside = log_in(client, "thuly", PASSWORD, next="https://evil.example/")

    assert inside["Location"] == "/thu-tuc/?q=khai+sinh"
    assert outside["Location"] == "/"


def test_logout_is_post_only(client: Client, officials: Officials) -> None:
    log_in(client, "thuly", PASSWORD)

    assert client.get(LOGOUT).status_code == 405
    assert logged_in_user_id(client) == str(officials.handler.pk)
    response = client.post(LOGOUT)
    assert (response.status_code, response["Location"]) == (302, "/")
    assert logged_in_user_id(client) is None


def test_failed_logins_log_neither_the_password_nor_the_username(
    client: Client, officials: Officials, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        for _attempt in range(5):
            log_in(client, "thuly", "mat-khau-bi-mat")

    logged = " ".join(f"{record.getMessage()} {record.msg}" for record in caplog.records)
    assert "identity.login_failed" in logged
    assert "mat-khau-bi-mat" not in logged
    assert "thuly" not in logged
