"""``motcua calendar show|seed``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.audit.models import AuditEvent
from motcua.workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_show_prints_the_year_month_by_month_with_a_legend() -> None:
    output = _run("show", "2025")
    assert output.startswith(
        "Lịch làm việc năm 2025 (tạm tính theo thư viện holidays): 250 ngày làm việc\n"
        "Chú giải: L = nghỉ lễ, tết; B = nghỉ bù; + = làm bù"
    )
    assert output.count("Tháng ") == 12
    april = output[output.index("Tháng 4/2025") : output.index("Tháng 5/2025")]
    assert april.splitlines()[:3] == [
        "Tháng 4/2025 — 21 ngày làm việc",
        " T2  T3  T4  T5  T6  T7  CN",
        "      1   2   3   4   5·  6·",
    ]
    assert " 26+ 27·" in april
    assert " 30L" in april
    assert "  26/04 + Ngày làm bù (thay cho ngày nghỉ 02/05/2025) [Thông báo 6150/" in april
    assert "  30/04 L Ngày Chiến thắng\n" in april
    may = output[output.index("Tháng 5/2025") : output.index("Tháng 6/2025")]
    assert "  1L  2B  3·  4·" in may


def test_seed_is_idempotent() -> None:
    first = _run("seed", "--from", "2024", "--to", "2026")
    assert first.strip() == "Đã nạp 3 năm (40 ngày); bỏ qua 0 năm đã có."
    count = CalendarDay.objects.count()
    second = _run("seed", "--from", "2024", "--to", "2026")
    assert second.strip() == "Đã nạp 0 năm (0 ngày); bỏ qua 3 năm đã có."
    assert CalendarDay.objects.count() == count == 40
    assert CalendarYear.objects.count() == 3
    assert AuditEvent.objects.filter(actor_ref="system:cli").count() == 3
    assert "(do quản trị hệ thống quản lý)" in _run("show", "2025")


def test_bad_arguments_are_command_errors() -> None:
    with pytest.raises(CommandError, match="Chỉ nạp được lịch"):
        _run("seed", "--from", "1990", "--to", "1995")
    with pytest.raises(CommandError, match="Năm kết thúc"):
        _run("seed", "--from", "2030", "--to", "2020")
    with pytest.raises(CommandError, match="ngoài phạm vi"):
        _run("show", "2200")
