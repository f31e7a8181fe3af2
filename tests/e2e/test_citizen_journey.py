"""A citizen's whole online journey in a real browser, as the portal offers it.

Lan already holds a criminal-record certificate issued by the system (in her data store).
She opens the construction-permit procedure, applies online — one document uploaded,
the certificate reused from her store — saves the draft, resumes it from "My dossiers"
and submits it. The officials act through their actions (the officials' pages have
their own journey test): the desk receives, the justice department asks for a
supplement, which Lan answers online; the result is signed and returned; Lan downloads
it and rates the service. Axe checks every portal page of the flow.

Lan logs in through the local national e-ID provider (``tests/e2e/eid.py``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from motcua.catalog.models import ProcedureDocument
from motcua.documents.models import DataStoreItem
from motcua.dossiers import actions
from motcua.dossiers.actions import SupplementItem
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.identity.fake_eid import DemoIdentity
from motcua.identity.models import Citizen
from motcua.workdays.selectors import invalidate_calendar_cache
from tests.dossiers.factories import PERSONAL_ID, World, make_world, official
from tests.e2e.conftest import AxeCheck
from tests.e2e.eid import login_with_eid
from tests.portal import flows
from tests.portal.factories import make_online

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def world(settings: Any, live_server: Any) -> Iterator[World]:
    """The dossier tests' world offered online; the land certificate is optional here, so
    that the application needs one upload and one document from the data store."""
    settings.DOCUMENTS_PUBLIC_BASE_URL = live_server.url
    invalidate_calendar_cache()
    world = make_world()
    make_online(world)
    ProcedureDocument.objects.filter(pk=world.documents["land"].pk).update(requirement="optional")
    official("justice_leader", world.justice, "reviewer", "signer", full_name="Lê Thị Thanh")
    official("construction_leader", world.construction, "reviewer", "signer")
    yield world
    invalidate_calendar_cache()


LAN = DemoIdentity(
    login=PERSONAL_ID,
    name="Nguyễn Thị Lan",
    level=2,
    birthdate="2003-05-01",
    personal_id=PERSONAL_ID,
    phone="0912345678",
    email="lan@example.test",
    address="Số 1 Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
)


def off_the_loop(work: Callable[[], Any]) -> Any:
    """Run ``work`` in another thread: signing a result uses ``asyncio.run`` (pyHanko),
    which cannot run beside Playwright's event loop in the test thread."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # re-raised in the test thread
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def expect_message(page: Page, text: str) -> None:
    expect(page.locator("#messages")).to_contain_text(text)


def test_apply_online_answer_a_supplement_download_and_rate(
    page: Page,
    world: World,
    axe_check: AxeCheck,
    fake_eid_live: Any,
    live_server: Any,
    tmp_path: Path,
) -> None:
    # Given Lan, whose criminal-record certificate the system issued earlier, and who
    # holds a level-2 national e-ID account
    fake_eid_live.provider.identities[LAN.login] = LAN
    item = off_the_loop(lambda: flows.store_result(world))
    # When she logs in through the national e-ID
    login_with_eid(page, live_server.url, LAN.login)
    lan = Citizen.objects.get(personal_id=PERSONAL_ID)
    scan = tmp_path / "don-de-nghi.pdf"
    scan.write_bytes(MINIMAL_PDF)

    # When she opens the procedure page and applies online
    page.goto(f"/thu-tuc/{world.chain.code}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nộp hồ sơ trực tuyến")
    axe_check(page)
    page.get_by_role("button", name="Bắt đầu lập hồ sơ mới").click()

    # Then the e-form shows her verified identity, read-only
    expect(page.get_by_role("heading", level=1, name="Điền tờ khai")).to_be_visible()
    expect(page.locator("#main").get_by_text("Nguyễn Thị Lan")).to_be_visible()
    axe_check(page)
    page.get_by_label("Nội dung đề nghị").fill("Xây nhà ở riêng lẻ 3 tầng tại thửa đất số 12.")
    page.get_by_label("Nhận kết quả điện tử trên cổng (kho dữ liệu)").check()

    # When she saves the draft and comes back to it from "My dossiers"
    page.get_by_role("button", name="Lưu nháp để làm tiếp sau").click()
    expect_message(page, "Đã lưu hồ sơ nháp.")
    axe_check(page)
    page.get_by_role("link", name=re.compile("^Làm tiếp")).click()
    expect(page.get_by_role("heading", level=1, name="Chọn trường hợp")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_label("Nội dung đề nghị")).to_have_value(
        "Xây nhà ở riêng lẻ 3 tầng tại thửa đất số 12."
    )
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # Then the documents list offers the certificate from her store, chosen already
    expect(page.get_by_role("heading", level=1, name="Giấy tờ của hồ sơ")).to_be_visible()
    expect(page.get_by_text("tự động chọn")).to_be_visible()
    axe_check(page)

    # When she uploads the application and confirms the stored certificate
    page.get_by_role("link", name=re.compile(r"^Đính kèm\W+Đơn đề nghị cấp giấy phép")).click()
    axe_check(page)
    page.get_by_label("Chọn tệp").set_input_files(str(scan))
    page.get_by_role("button", name="Lưu giấy tờ").click()
    expect_message(page, "Đã đính kèm: Đơn đề nghị cấp giấy phép xây dựng.")
    page.get_by_role("link", name=re.compile(r"^Thay đổi\W+Phiếu lý lịch tư pháp")).click()
    page.get_by_label(re.compile("^Dùng giấy tờ trong kho dữ liệu")).check()
    axe_check(page)
    page.get_by_role("button", name="Lưu giấy tờ").click()
    expect_message(page, "Đã đính kèm: Phiếu lý lịch tư pháp.")
    page.get_by_role("button", name="Tiếp tục").click()

    # And she reviews the fees and submits
    expect(page.get_by_role("cell", name="75.000 đồng").first).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_text(f"dùng lại từ kho dữ liệu ({item.title})")).to_be_visible()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("alert")).to_contain_text("Vui lòng xác nhận lời cam đoan")
    axe_check(page)
    page.get_by_label(re.compile("^Tôi cam đoan")).check()
    page.get_by_role("button", name="Nộp hồ sơ").click()

    # Then her dossier is newly registered (status 1)
    expect_message(page, "Đã nộp hồ sơ")
    expect(page.locator(".state-badge").first).to_have_text("Mới đăng ký")
    axe_check(page)
    dossier = Dossier.objects.get(applicant_user=lan.user)
    reused = DossierDocument.objects.get(
        dossier=dossier, procedure_document=world.documents["criminal_record"]
    )
    assert (reused.reuse, reused.is_from_data_store) == (2, True)
    url = page.url

    # When the desk receives it and the justice department asks for a supplement
    a = world.actors
    actions.do_receive_dossier(dossier, actor=a["desk"])
    actions.do_transfer_dossier(dossier, actor=a["desk"])
    actions.do_assign_dossier(
        dossier, actor=a["justice_reviewer"], assignee_id=a["justice_handler"].user_id
    )
    application = DossierDocument.objects.get(
        dossier=dossier, procedure_document=world.documents["application"]
    )
    actions.do_request_supplement(
        dossier,
        actor=a["justice_handler"],
        items=[SupplementItem("Đơn đề nghị", "Thiếu chữ ký của chủ hộ", application.pk)],
    )

    # Then she sees what is asked and answers it online
    page.goto(url)
    expect(page.get_by_text("Thiếu chữ ký của chủ hộ")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Nộp giấy tờ bổ sung").click()
    axe_check(page)
    signed = tmp_path / "don-co-chu-ky.pdf"
    signed.write_bytes(MINIMAL_PDF)
    page.get_by_label("Chọn tệp").first.set_input_files(str(signed))
    page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    expect_message(page, "Đã gửi hồ sơ bổ sung.")
    expect(page.locator(".state-badge").first).to_have_text("Đang xử lý")

    # When the agencies finish, sign, and the desk returns the result
    def finish() -> None:
        done = Dossier.objects.get(pk=dossier.pk)
        actions.do_submit_for_review(done, actor=a["justice_handler"])
        actions.do_approve_dossier(done, actor=a["justice_reviewer"])
        actions.do_forward_to_next_agency(done, actor=a["justice_signer"])
        actions.do_assign_dossier(
            done, actor=a["construction_reviewer"], assignee_id=a["construction_handler"].user_id
        )
        actions.do_submit_for_review(done, actor=a["construction_handler"])
        actions.do_approve_dossier(done, actor=a["construction_reviewer"])
        actions.do_sign_result(done, actor=a["construction_signer"])
        actions.do_record_payment(done, actor=a["desk"], reference="BL-0001")
        actions.do_return_result(done, actor=a["desk"], note="Trả kết quả điện tử")

    off_the_loop(finish)

    # Then she downloads the signed result and rates the service
    page.goto(url)
    expect(page.locator(".state-badge").first).to_have_text("Đã trả kết quả")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Tải về .*PDF có chữ ký số")).click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.get_by_role("link", name="Đánh giá").click()
    axe_check(page)
    for number in range(1, 10):
        page.get_by_role("group", name=re.compile(f"^Tiêu chí {number}:")).get_by_label(
            "2 điểm — tốt hơn quy định"
        ).check()
    page.get_by_label("Rất hài lòng").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect_message(page, "Cảm ơn bạn đã đánh giá.")
    expect(page.get_by_text("18/18 điểm — Rất hài lòng")).to_be_visible()
    axe_check(page)

    # And her data store now holds the new permit beside the old certificate
    page.goto("/ca-nhan/kho-du-lieu/")
    kept = DataStoreItem.objects.filter(owner_id_number=lan.personal_id).count()
    assert kept == 4  # two results, the upload accepted at reception and the supplement
    expect(page.get_by_role("row")).to_have_count(1 + kept)
    axe_check(page)
