"""The shell's pages through Django's test client: home, errors, health and metrics."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied

from motcua.web import navigation
from motcua.web.navigation import build_main_navigation

pytestmark = pytest.mark.django_db


def test_home_is_vietnamese_with_search_form_and_no_queries(
    client: Client, django_assert_num_queries
) -> None:
    # Given an anonymous visitor with no language preference
    # When they open the home page
    with django_assert_num_queries(0):
        response = client.get("/")

    # Then it is a Vietnamese page with the procedure search and the quick links
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi"' in html
    assert "<title>Trang chủ – Một cửa điện tử</title>" in html
    assert "Thủ tục hành chính rõ ràng, đúng hẹn, tại một cửa" in html
    assert '<form class="search-panel" method="get" action="/thu-tuc/" role="search">' in html
    assert '<label class="form-label" for="procedure-search">Tìm thủ tục hành chính</label>' in html
    assert 'id="procedure-search" name="q"' in html
    assert '<a class="nav-link" href="/" aria-current="page">Trang chủ</a>' in html
    assert 'href="/lich-lam-viec/"' in html
    assert 'href="/api/v1/docs"' in html
    assert 'href="/tai-khoan/dang-nhap/?next=/"' in html
    assert '<a class="skip-link visually-hidden-focusable" href="#main">' in html
    assert '<main id="main" class="site-main" tabindex="-1">' in html
    assert 'role="status" aria-live="polite"' in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "/static/motcua/home.css" in html


def test_home_in_english_when_the_visitor_chose_english(client: Client) -> None:
    # Given a visitor who chose English with the language switcher
    client.cookies["django_language"] = "en"
    # When they open the home page
    response = client.get("/")

    # Then the page is served in English
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Administrative procedures made clear and on time, at a one-stop desk" in html
    assert "Find an administrative procedure" in html
    assert '<span lang="vi">Tiếng Việt</span>' in html


def test_language_switch_sets_the_language_and_returns_to_the_page(client: Client) -> None:
    # Given the home page in Vietnamese
    # When the visitor posts the language switcher's form for English
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    # Then they go back to the page they were on, and it is now English
    assert response.status_code == 302
    assert response.headers["location"] == "/"
    assert '<html lang="en"' in client.get("/").content.decode()


def test_header_shows_the_signed_in_user_and_a_logout_form(
    client: Client, django_user_model
) -> None:
    # Given a signed-in official
    user = django_user_model.objects.create_user(
        username="canbo01", password="x", first_name="An", last_name="Nguyễn Văn"
    )
    client.force_login(user)

    # When they open the home page
    html = client.get("/").content.decode()

    # Then the header names them and offers a POST logout instead of the login link
    assert "Xin chào, <strong>An Nguyễn Văn</strong>" in html
    assert '<form method="post" action="/tai-khoan/dang-xuat/">' in html
    assert 'href="/tai-khoan/dang-nhap/?next=' not in html


def test_unknown_page_is_a_vietnamese_404(client: Client) -> None:
    # When a visitor opens an address that does not exist
    response = client.get("/khong-co-trang-nay/")

    # Then they get a Vietnamese 404 page that offers the procedure search
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="vi"' in html
    assert "<title>Không tìm thấy trang – Một cửa điện tử</title>" in html
    assert "<h1>Không tìm thấy trang</h1>" in html
    assert 'name="q"' in html


def test_403_page_offers_login_to_anonymous_visitors() -> None:
    # Given an anonymous request for a forbidden page
    request = RequestFactory().get("/ho-so/12/")
    request.user = AnonymousUser()

    # When Django renders its permission-denied page
    response = permission_denied(request, PermissionDenied())

    # Then it explains in Vietnamese and links to the login, coming back afterwards
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Không có quyền truy cập</h1>" in html
    assert 'href="/tai-khoan/dang-nhap/?next=/ho-so/12/"' in html


def test_500_page_renders_without_request_or_database(django_assert_num_queries) -> None:
    # When Django renders the server-error page (no request, no context processors)
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()

    # Then it is a complete Vietnamese page with the site name
    assert '<html lang="vi"' in html
    assert "<h1>Hệ thống đang gặp sự cố</h1>" in html
    assert "Một cửa điện tử" in html
    assert "/static/motcua/site.css" in html


def test_csrf_failure_page_explains_in_vietnamese() -> None:
    # Given a browser that posts the language form without its CSRF cookie
    client = Client(enforce_csrf_checks=True)

    # When the form arrives
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    # Then the visitor gets our explanation, not Django's English debug text
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Phiên làm việc đã hết hạn</h1>" in html
    assert "Một cửa điện tử" in html


@pytest.mark.urls("tests.web.urls")
def test_application_error_page_shows_message_and_code_once(client: Client) -> None:
    # When a view raises an ApplicationError it does not handle
    response = client.get("/test/raise-not-found/")

    # Then the error page shows the message once, and the stable code
    html = response.content.decode()
    assert response.status_code == 404
    assert html.count("Không tìm thấy thủ tục 1.001234.") == 1
    assert "<code>catalog.procedure_not_found</code>" in html


@pytest.mark.urls("tests.web.urls")
def test_flash_messages_are_alerts_in_the_live_region_with_a_label(client: Client) -> None:
    # When a view flashes a success message
    html = client.get("/test/flash-success/").content.decode()

    # Then it is a labelled alert inside the status region
    region = html.split('role="status" aria-live="polite">', 1)[1].split("</div>\n</div>", 1)[0]
    assert '<div class="alert alert-success">' in region
    assert "<strong>Thành công:</strong>" in region
    assert "Đã lưu hồ sơ." in region


def test_healthz_checks_database_and_queue(client: Client) -> None:
    # When the load balancer asks for health
    response = client.get("/healthz")

    # Then the database and the queue are both checked and reported healthy
    body = json.loads(response.content)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["queue"] == {
        "ok": True,
        "pending_tasks": 0,
        "pending_outbox": 0,
        "dead_outbox": 0,
    }


def test_metrics_are_prometheus_text(client: Client) -> None:
    # When Prometheus scrapes the metrics
    response = client.get("/metrics")

    # Then it gets the text exposition format
    text = response.content.decode()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    assert "# HELP " in text
    assert "# TYPE " in text


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "/"),
        ("/thu-tuc/", "/thu-tuc/"),
        ("/thu-tuc/1.001234/", "/thu-tuc/"),
        ("/lich-lam-viec/2026/", "/lich-lam-viec/"),
        ("/chi-so-phuc-vu/don-vi/000.00.12.H56/", "/chi-so-phuc-vu/"),
        ("/tai-khoan/dang-nhap/", None),
    ],
)
def test_main_navigation_marks_the_current_section(path: str, current: str | None) -> None:
    # When the navigation is built for a page
    items = build_main_navigation(path)

    # Then the five links are there in order and only the page's section is current
    assert [item.url for item in items] == [
        "/",
        "/thu-tuc/",
        "/lich-lam-viec/",
        "/chi-so-phuc-vu/",
        "/api/v1/docs",
    ]
    assert [item.url for item in items if item.is_current] == ([current] if current else [])


def test_account_links_point_at_the_pages_they_name() -> None:
    # The header links are plain paths (it renders under any URLconf); they must match.
    assert navigation.WORKLIST_PATH == reverse("dossiers:worklist")
    assert navigation.MY_DOSSIERS_PATH == reverse("portal:mine")
    assert navigation.SYNC_OPERATIONS_PATH == reverse("portalsync:operations")
