"""Online dossiers created on the portal enter the desk's queue once; bad rows are rejected."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.integration.fakes import FakeServer
from motcua.portalsync.models import PortalImport
from motcua.portalsync.pull import PullStats, import_row, pull_from_portal
from tests.dossiers.conftest import snapshot
from tests.dossiers.factories import World
from tests.portalsync.conftest import drain

pytestmark = pytest.mark.django_db


def portal_row(world: World, code: str = "DVCQG-251006-0001", **changes: Any) -> dict[str, Any]:
    row = {
        "MaHoSo": code,
        "MaTTHC": world.single.code,
        "MaTruongHop": "TH1",
        "MaDonViTiepNhan": world.desk.code,
        "NgayNopHoSo": "06/10/2025 08:15:00",
        "KenhThucHien": 2,
        "TaiKhoanDuocXacThucVoiVNeID": 1,
        "ChuHoSo": {
            "HoVaTen": "Đặng Văn Hùng",
            "SoDinhDanh": "038086002345",
            "NamSinh": 1986,
            "GioiTinh": 1,
            "SoDienThoai": "0913000001",
        },
        "TaiLieuNop": [{"TenThanhPhanHoSo": "Tờ khai yêu cầu cấp phiếu lý lịch tư pháp"}],
    }
    row.update(changes)
    return row


def test_a_pulled_dossier_is_queued_once_and_confirmed(world: World, portal: FakeServer) -> None:
    portal.app.seed([portal_row(world)])

    first = pull_from_portal()
    again = pull_from_portal()

    assert (first.fetched, first.imported, first.rejected) == (1, 1, 0)
    assert (again.fetched, again.imported) == (0, 0)  # the portal no longer offers it
    imported = PortalImport.objects.get()
    dossier = Dossier.objects.get()
    assert (imported.portal_code, imported.dossier_id, imported.status) == (
        "DVCQG-251006-0001",
        dossier.pk,
        "imported",
    )
    assert (imported.is_eid_authenticated, imported.is_confirmed) == (True, True)
    assert (dossier.state, dossier.national_status, dossier.channel) == (
        "submitted",
        1,
        "online_dvcqg",
    )
    assert (dossier.receiving_desk_id, dossier.competent_agency_id) == (
        world.desk.pk,
        world.justice.pk,
    )
    assert dossier.documents.get().is_provided is True
    assert portal.app.online["DVCQG-251006-0001"]["picked_up_at"]


def test_the_same_row_twice_is_imported_once(world: World, portal: FakeServer) -> None:
    stats = PullStats()
    assert import_row(portal_row(world), stats) == "DVCQG-251006-0001"
    assert import_row(portal_row(world), stats) == "DVCQG-251006-0001"
    assert (stats.imported, stats.already) == (1, 1)
    assert Dossier.objects.count() == 1


def test_the_desks_decision_goes_back_to_the_portal(world: World, portal: FakeServer) -> None:
    portal.app.seed([portal_row(world), portal_row(world, "DVCQG-251006-0002")])
    pull_from_portal()
    received, refused = Dossier.objects.order_by("pk")

    actions.do_receive_dossier(received, actor=world.actors["desk"])
    actions.do_refuse_dossier(refused, actor=world.actors["desk"], reason="Không thuộc thẩm quyền")
    drain()

    history = {
        code: [(h["LoaiSuKien"], h["TrangThai"]) for h in portal.app.history(code)]
        for code in ("DVCQG-251006-0001", "DVCQG-251006-0002")
    }
    assert history == {
        "DVCQG-251006-0001": [("submit", 1), ("receive", 2)],
        "DVCQG-251006-0002": [("submit", 1), ("refuse", 3)],
    }
    record = portal.app.dossiers["DVCQG-251006-0001"]["HoSo"]
    assert record["MaHoSoDiaPhuong"] == received.code
    assert record["TaiKhoanDuocXacThucVoiVNeID"] == 1
    assert record["KenhThucHien"] == 2
    refused_record = portal.app.dossiers["DVCQG-251006-0002"]["HoSo"]
    assert refused_record["NgayTuChoi"] == "06/10/2025 09:00:00"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"MaTTHC": None}, "THIEU_TRUONG"),
        ({"KenhThucHien": 1}, "GIA_TRI_KHONG_HOP_LE"),
        ({"MaDonViTiepNhan": "000.00.12.H56"}, "DON_VI_KHONG_CO"),
        ({"TaiLieuNop": [{"TenThanhPhanHoSo": "Giấy tờ lạ"}]}, "TAI_LIEU_KHONG_CO"),
        ({"MaTTHC": "9.999999"}, "catalog.unknown_procedure"),
        (
            {
                "ChuHoSo": {
                    "HoVaTen": "Đặng Văn Hùng",
                    "SoDinhDanh": "038086002345",
                    "NamSinh": 1999,
                }
            },
            "dossier.invalid_personal_id",
        ),
    ],
)
def test_a_malformed_row_is_rejected_with_a_clear_log_entry(
    world: World, portal: FakeServer, caplog: pytest.LogCaptureFixture, changes: dict, code: str
) -> None:
    before = snapshot()
    portal.app.seed([portal_row(world, **changes)])

    with caplog.at_level(logging.WARNING, logger="motcua.portalsync.pull"):
        stats = pull_from_portal()
        pull_from_portal()  # the same row again: no second entry

    assert (stats.imported, stats.rejected) == (0, 1)
    assert snapshot() == before  # no dossier, no audit row, no outbox message
    rejection = PortalImport.objects.get()
    assert (rejection.status, rejection.error_code, rejection.dossier_id) == (
        "rejected",
        code,
        None,
    )
    entries = [r for r in caplog.records if "portal.pull.rejected" in r.getMessage()]
    assert len(entries) == 1
    assert code in entries[0].getMessage()
    assert "DVCQG-251006-0001" in entries[0].getMessage()
    assert "038086002345" not in entries[0].getMessage()
    assert portal.app.online["DVCQG-251006-0001"]["picked_up_at"] is None
