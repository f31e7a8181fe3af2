"""The demo officials: one account per role, one documented password, idempotent."""

from __future__ import annotations

from functools import partial

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.agencies import demo as agencies_demo
from motcua.agencies.actions import do_load_admin_units
from motcua.audit.models import AuditEvent
from motcua.identity import demo
from motcua.identity.models import Official
from motcua.identity.roles import Role
from motcua.identity.selectors import get_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_agencies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        agencies_demo, "do_load_admin_units", partial(do_load_admin_units, include_legacy=False)
    )
    agencies_demo.load_demo()


def test_every_role_has_a_demo_account_and_the_lines_list_them(demo_agencies: None) -> None:
    lines = demo.load_demo()

    assert lines[0] == "Tài khoản mẫu (mật khẩu chung: motcua-demo):"
    assert len(lines) == 1 + len(demo.DEMO_OFFICIALS) + 5 == 24
    assert lines[19] == (
        "Công dân, doanh nghiệp: /tai-khoan/vneid/ → định danh điện tử giả lập "
        "http://127.0.0.1:8103 (mật khẩu chung: vneid-demo):"
    )
    assert lines[20] == "  038085001234       → Nguyễn Văn An (cá nhân, mức 2)"
    assert lines[23] == (
        "  2801234567         → Công ty TNHH Dịch vụ Hạc Thành (doanh nghiệp, mức 2)"
    )
    assert "tiepnhan.tinh" in lines[4]
    assert "Cán bộ tiếp nhận (một cửa)" in lines[4]
    assert lines[4].endswith("Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa (000.01.01.H56)")
    held = {role for official in Official.objects.all() for role in get_actor(official.user).roles}
    assert held == set(Role.values)
    assert get_user_model().objects.get(username="admin").is_superuser is True
    assert Official.objects.get(user__username="tiepnhan.hacthanh").agency.code == "000.01.41.H56"
    assert Official.objects.get(user__username="kyduyet.tuphap").agency.code == "000.00.12.H56"
    assert Official.objects.get(user__username="thuly.hacthanh").agency.code == "000.00.41.H56"


def test_the_demo_password_logs_in(demo_agencies: None) -> None:
    demo.load_demo()

    assert Client().login(username="kyduyet.hacthanh", password=demo.DEMO_PASSWORD) is True


def test_running_the_demo_twice_changes_nothing(demo_agencies: None) -> None:
    demo.load_demo()
    before = (get_user_model().objects.count(), AuditEvent.objects.count())

    lines = demo.load_demo()

    assert (get_user_model().objects.count(), AuditEvent.objects.count()) == before
    assert len(lines) == 24
