"""The dossier web pages: workspace, counter reception, dossier page and actions, tracking.

Built on the dossier tests' world (``factories.make_world``): a provincial desk, the
justice and construction departments, an inter-agency procedure (justice then
construction, 5 working days, a 75,000 đồng fee) and officials of every role. The
clock is Monday 6 October 2025, 09:00; PDFs are laid out blank (``fast_pdf``).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.dossiers.conftest import MINIMAL_PDF, digitise_all, reload, snapshot
from tests.dossiers.factories import World, chain_submission, official

from motcua.documents.models import IssuedDocument
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.workdays.selectors import get_calendar

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def received(world: World) -> Dossier:
    """A dossier received at the provincial desk, scans done, ready to transfer."""
    dossier = actions.do_receive_at_desk(
        world.desk, actor=world.actors["desk"], submission=chain_submission(world)
    )
    digitise_all(dossier, world.actors["desk"])
    return reload(dossier)


def reception_post(world: World, **overrides: Any) -> dict[str, Any]:
    """The reception form filled in for the inter-agency procedure, everything provided."""
    data: dict[str, Any] = {
        "decision": "receive",
        "applicant_kind": "person",
        "applicant_name": "Nguyễn Thị Lan",
        "applicant_id_type": "personal_id12",
        "applicant_id_number": "001303012345",
        "applicant_birth_year": "2003",
        "applicant_phone": "0912345678",
        "applicant_address": "Số 1 Lê Lợi, phường Hạc Thành",
        "submitter_kind": "self",
        "channel": "direct",
        "return_channel": "desk",
    }
    for name in ("application", "land", "drawings", "identity_card"):
        document = world.documents[name]
        prefix = f"doc_{document.pk}_"
        data[prefix + "copy_type"] = "original"
        data[prefix + "quantity"] = "1"
        if name != "drawings":
            data[prefix + "provided"] = "on"
        if name in ("application", "land"):
            data[prefix + "file"] = SimpleUploadedFile(
                f"{name}.pdf", MINIMAL_PDF, content_type="application/pdf"
            )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


RECEPTION_URL = "/ho-so/tiep-nhan/?thu_tuc=1.000001"


# --- access -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/ho-so/", "/ho-so/tiep-nhan/", "/ho-so/1/", "/ho-so/1/bieu-mau/1/"]
)
def test_anonymous_visitors_are_sent_to_the_login_page(world: World, path: str) -> None:
    # When an anonymous visitor opens an officials' page
    response = Client().get(path)

    # Then they are redirected to the login page, coming back afterwards
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/dang-nhap/?next=" + path


def test_a_user_who_is_not_an_official_is_refused(world: World) -> None:
    get_user_model().objects.create_user(username="citizen", password="x")

    response = client_for("citizen").get("/ho-so/")

    assert response.status_code == 403


def test_an_official_without_a_dossier_role_is_refused_the_workspace(world: World) -> None:
    official("catalogue_admin", world.desk, "catalog_admin")

    response = client_for("catalogue_admin").get("/ho-so/")

    assert response.status_code == 403


def test_only_desk_staff_reach_the_reception_form(world: World) -> None:
    assert client_for("desk_officer").get("/ho-so/tiep-nhan/").status_code == 200
    assert client_for("justice_handler").get("/ho-so/tiep-nhan/").status_code == 403


def test_an_official_of_an_unrelated_agency_gets_404_for_the_page_and_its_files(
    world: World,
) -> None:
    dossier = received(world)
    form = IssuedDocument.objects.get(subject_id=str(dossier.pk), kind="01")
    outsider = client_for("hanoi_signer")

    assert outsider.get(f"/ho-so/{dossier.pk}/").status_code == 404
    assert outsider.get(f"/ho-so/{dossier.pk}/bieu-mau/{form.pk}/").status_code == 404
    assert outsider.post(f"/ho-so/{dossier.pk}/transfer/").status_code == 404


# --- workspace --------------------------------------------------------------------------


def test_desk_worklist_shows_tabs_with_counts_and_the_row(world: World) -> None:
    dossier = received(world)

    response = client_for("desk_officer").get("/ho-so/?list=to_transfer")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Hồ sơ chờ chuyển xử lý" in html
    assert '<span class="visually-hidden">: </span>1<span' in html  # the tab's count
    assert dossier.code in html
    assert "Nguyễn Thị Lan" in html
    assert "001******345" in html
    assert "001303012345" not in html
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in html
    # Received Monday 09:00 with 5 working days: due Monday 13 October, 5 working days left
    assert "17:00 13/10/2025" in html
    assert "còn 5 ngày làm việc" in html
    assert "Mới tiếp nhận" in html


def test_agency_worklist_lists_only_its_own_dossiers(world: World) -> None:
    dossier = received(world)
    actions.do_transfer_dossier(dossier, actor=world.actors["desk"])

    justice = client_for("justice_handler").get("/ho-so/?list=to_assign").content.decode()
    construction = client_for("construction_handler").get("/ho-so/?list=to_assign")

    assert dossier.code in justice
    assert dossier.code not in construction.content.decode()
    assert "Không có hồ sơ nào trong danh sách này." in construction.content.decode()


def test_search_by_code_and_overdue_filter(world: World, frozen: Any) -> None:
    dossier = received(world)
    client = client_for("desk_officer")

    found = client.get("/ho-so/", {"q": dossier.code[-11:]}).content.decode()
    overdue = client.get("/ho-so/", {"list": "to_transfer", "due": "overdue"}).content.decode()

    assert f'href="/ho-so/{dossier.pk}/"' in found
    assert f'href="/ho-so/{dossier.pk}/"' not in overdue


def test_worklist_query_count_does_not_grow_with_rows(world: World) -> None:
    client = client_for("desk_officer")
    received(world)
    get_calendar()  # warm the per-process working-day calendar

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    one = count("/ho-so/?list=to_transfer"), count("/ho-so/?q=H56-251006")
    for _ in range(4):
        received(world)
    five = count("/ho-so/?list=to_transfer"), count("/ho-so/?q=H56-251006")

    # the session, the user with its actor (official and roles, shared with the header),
    # the capped counts of the desk's four tabs in one statement, the page of rows
    assert one == five == (4, 4)


# --- counter reception ------------------------------------------------------------------


def test_procedure_search_finds_by_code(world: World) -> None:
    html = client_for("desk_officer").get("/ho-so/tiep-nhan/", {"q": "1.000001"}).content.decode()

    assert 'href="?thu_tuc=1.000001"' in html
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in html


def test_reception_form_lists_the_versions_documents(world: World) -> None:
    response = client_for("desk_officer").get(RECEPTION_URL)

    html = response.content.decode()
    assert response.status_code == 200
    for name in ("application", "land", "drawings", "identity_card"):
        document = world.documents[name]
        assert f'name="doc_{document.pk}_provided"' in html
    assert f'name="doc_{world.documents["land"].pk}_file"' in html
    # A document only presented for comparison is never scanned
    assert f'name="doc_{world.documents["identity_card"].pk}_file"' not in html


def test_receiving_at_the_counter_gives_the_code_and_form_01(world: World) -> None:
    client = client_for("desk_officer")

    response = client.post(RECEPTION_URL, reception_post(world))

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so/{dossier.pk}/"
    assert dossier.state == "received"
    assert dossier.code == "000.00.01.H56-251006-0001"
    assert dossier.applicant_id_number == "001303012345"
    scanned = dossier.documents.filter(stored_file__isnull=False)
    assert sorted(d.name for d in scanned) == [
        "Giấy chứng nhận quyền sử dụng đất",
        "Đơn đề nghị cấp giấy phép xây dựng",
    ]
    slip = IssuedDocument.objects.get(subject_id=str(dossier.pk), kind="01")
    page = client.get(response["Location"]).content.decode()
    assert "Thành công:" in page
    assert (
        "Đã tiếp nhận hồ sơ 000.00.01.H56-251006-0001; hẹn trả kết quả lúc 17:00 13/10/2025."
        in page
    )
    assert f'href="/ho-so/{dossier.pk}/bieu-mau/{slip.pk}/"' in page
    assert "In Giấy tiếp nhận (Mẫu 01)" in page
    pdf = client.get(f"/ho-so/{dossier.pk}/bieu-mau/{slip.pk}/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_an_invalid_personal_id_is_shown_on_its_field_and_nothing_is_written(
    world: World,
) -> None:
    before = snapshot()

    response = client_for("desk_officer").post(
        RECEPTION_URL, reception_post(world, applicant_id_number="999303012345")
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="error-summary"' in html
    assert 'href="#id_applicant_id_number"' in html
    assert "ba số đầu không phải mã tỉnh nơi đăng ký khai sinh." in html
    assert 'aria-invalid="true"' in html
    assert 'value="Nguyễn Thị Lan"' in html  # the input is kept
    assert snapshot() == before


def test_a_wrong_length_is_caught_by_the_form(world: World) -> None:
    before = snapshot()

    response = client_for("desk_officer").post(
        RECEPTION_URL, reception_post(world, applicant_id_number="12345")
    )

    assert response.status_code == 422
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in response.content.decode()
    assert snapshot() == before


def test_receiving_without_a_required_document_is_refused_and_nothing_written(
    world: World,
) -> None:
    land = world.documents["land"]
    before = snapshot()

    response = client_for("desk_officer").post(
        RECEPTION_URL,
        reception_post(world, **{f"doc_{land.pk}_provided": None, f"doc_{land.pk}_file": None}),
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Hồ sơ chưa đầy đủ, thiếu: Giấy chứng nhận quyền sử dụng đất." in html
    assert f'href="#id_doc_{land.pk}_provided"' in html
    assert snapshot() == before


def test_an_authorised_submitter_needs_the_authorisation_document(world: World) -> None:
    before = snapshot()

    response = client_for("desk_officer").post(
        RECEPTION_URL,
        reception_post(
            world,
            submitter_kind="authorised",
            submitter_name="Trần Văn Bình",
            submitter_id_number="001203012345",
        ),
    )

    assert response.status_code == 422
    assert "Nộp theo ủy quyền phải có văn bản ủy quyền." in response.content.decode()
    assert snapshot() == before


def test_asking_for_a_supplement_at_the_counter_issues_form_02(world: World) -> None:
    land = world.documents["land"]

    response = client_for("desk_officer").post(
        RECEPTION_URL,
        reception_post(
            world,
            decision="supplement",
            **{f"doc_{land.pk}_provided": None, f"doc_{land.pk}_file": None},
        ),
    )

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.state == "reception_supplement"
    assert dossier.code is None
    request = dossier.supplement_requests.get()
    assert request.items == [
        {
            "text": "Giấy chứng nhận quyền sử dụng đất",
            "reason": "Chưa nộp",
            "document_id": dossier.documents.get(procedure_document=land).pk,
        }
    ]
    assert request.form is not None
    assert request.form.kind == "02"


def test_refusing_needs_a_reason_then_issues_form_03(world: World) -> None:
    client = client_for("desk_officer")
    before = snapshot()

    missing = client.post(RECEPTION_URL, reception_post(world, decision="refuse"))

    assert missing.status_code == 422
    assert "Phải nêu rõ lý do." in missing.content.decode()
    assert snapshot() == before

    done = client.post(
        RECEPTION_URL,
        reception_post(world, decision="refuse", refuse_reason="Không thuộc thẩm quyền."),
    )

    dossier = Dossier.objects.get()
    assert done.status_code == 302
    assert dossier.state == "refused"
    assert dossier.refusal.reason == "Không thuộc thẩm quyền."


# --- the dossier page and its actions ----------------------------------------------------


def test_dossier_page_shows_header_documents_handovers_forms_history_and_actions(
    world: World,
) -> None:
    dossier = received(world)

    response = client_for("desk_officer").get(f"/ho-so/{dossier.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="dossiers-title">{dossier.code}</h1>' in html
    assert "2 — Được tiếp nhận" in html
    assert "Đã số hóa:" in html
    assert "Không phải số hóa:" in html
    assert "Tiếp nhận hồ sơ" in html  # the first control-slip row and the history
    assert "Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in html
    assert f'action="/ho-so/{dossier.pk}/transfer/"' in html
    assert "Chuyển đến: Sở Tư pháp tỉnh Thanh Hóa." in html
    assert f'action="/ho-so/{dossier.pk}/withdraw/"' in html
    assert f'action="/ho-so/{dossier.pk}/assign/"' not in html


def test_transfer_redirects_with_a_message_and_the_agency_can_assign(world: World) -> None:
    dossier = received(world)
    desk = client_for("desk_officer")

    response = desk.post(f"/ho-so/{dossier.pk}/transfer/", {"transfer-expected_state": "received"})

    assert response.status_code == 302
    assert response["Location"] == f"/ho-so/{dossier.pk}/"
    assert reload(dossier).state == "transferred"
    assert (
        "Đã chuyển hồ sơ đến Sở Tư pháp tỉnh Thanh Hóa."
        in desk.get(response["Location"]).content.decode()
    )

    handler = world.actors["justice_handler"]
    leader = client_for("justice_reviewer")
    page = leader.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert f'<option value="{handler.user_id}">Trần Văn Thụ Lý</option>' in page
    assigned = leader.post(
        f"/ho-so/{dossier.pk}/assign/",
        {"assign-expected_state": "transferred", "assign-assignee": str(handler.user_id)},
    )
    assert assigned.status_code == 302
    assert reload(dossier).assignee_id == handler.user_id


def test_an_action_from_the_wrong_state_shows_the_error_and_writes_nothing(
    world: World,
) -> None:
    dossier = received(world)
    before = snapshot()

    response = client_for("desk_officer").post(
        f"/ho-so/{dossier.pk}/receive/", {"receive-expected_state": "received"}
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "Không thể thực hiện thao tác này ở trạng thái hiện tại (Mới tiếp nhận)." in html
    assert snapshot() == before


def test_a_dossier_changed_by_someone_else_is_reported_and_nothing_written(
    world: World,
) -> None:
    dossier = received(world)
    before = snapshot()

    # The official's page still showed the dossier "submitted"
    response = client_for("desk_officer").post(
        f"/ho-so/{dossier.pk}/withdraw/",
        {"withdraw-expected_state": "submitted", "withdraw-reason": "Người nộp xin rút."},
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "Hồ sơ vừa được người khác thay đổi (hiện ở trạng thái “Mới tiếp nhận”)." in html
    assert "Người nộp xin rút." in html  # the input is kept
    assert "<details open>" in html
    assert snapshot() == before


def test_a_transfer_before_digitisation_shows_the_missing_scans(world: World) -> None:
    dossier = actions.do_receive_at_desk(
        world.desk, actor=world.actors["desk"], submission=chain_submission(world)
    )
    before = snapshot()

    response = client_for("desk_officer").post(
        f"/ho-so/{dossier.pk}/transfer/", {"transfer-expected_state": "received"}
    )

    assert response.status_code == 409
    assert "Chưa số hóa các thành phần hồ sơ: Đơn đề nghị cấp giấy phép xây dựng" in (
        response.content.decode()
    )
    assert snapshot() == before


def test_a_missing_reason_keeps_the_form_open_with_its_error(world: World) -> None:
    dossier = received(world)
    before = snapshot()

    response = client_for("desk_officer").post(
        f"/ho-so/{dossier.pk}/withdraw/", {"withdraw-expected_state": "received"}
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'href="#id_withdraw-reason"' in html
    assert "<details open>" in html
    assert snapshot() == before


def test_digitising_from_the_panel_unblocks_the_transfer(world: World) -> None:
    dossier = actions.do_receive_at_desk(
        world.desk, actor=world.actors["desk"], submission=chain_submission(world)
    )
    desk = client_for("desk_officer")
    for name in ("application", "land"):
        document = dossier.documents.get(procedure_document=world.documents[name])
        response = desk.post(
            f"/ho-so/{dossier.pk}/digitise-document/",
            {
                "digitise_document-expected_state": "received",
                "digitise_document-document": str(document.pk),
                "digitise_document-file": SimpleUploadedFile(
                    "scan.pdf", MINIMAL_PDF, content_type="application/pdf"
                ),
            },
        )
        assert response.status_code == 302

    transferred = desk.post(
        f"/ho-so/{dossier.pk}/transfer/", {"transfer-expected_state": "received"}
    )

    assert transferred.status_code == 302
    assert reload(dossier).state == "transferred"


def test_an_apology_moves_the_appointment_and_keeps_the_original(world: World) -> None:
    dossier = received(world)
    actions.do_transfer_dossier(dossier, actor=world.actors["desk"])
    leader = client_for("justice_reviewer")

    response = leader.post(
        f"/ho-so/{dossier.pk}/issue-apology/",
        {
            "issue_apology-expected_state": "transferred",
            "issue_apology-reason": "Cần xác minh thêm tại địa phương.",
            "issue_apology-new_due_date": "2025-10-15",
            "issue_apology-new_due_time": "16:30",
        },
    )

    assert response.status_code == 302
    page = leader.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert (
        "Đã ban hành văn bản xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04): 16:30 15/10/2025."
        in page
    )
    assert "Ngày hẹn trả ban đầu" in page
    assert "Hẹn lại từ 17:00 13/10/2025 sang 16:30 15/10/2025." in page
    assert f'action="/ho-so/{dossier.pk}/issue-apology/"' not in page  # only once


def test_an_apology_on_a_day_off_is_refused_on_its_field(world: World) -> None:
    dossier = received(world)
    actions.do_transfer_dossier(dossier, actor=world.actors["desk"])
    before = snapshot()

    response = client_for("justice_reviewer").post(
        f"/ho-so/{dossier.pk}/issue-apology/",
        {
            "issue_apology-expected_state": "transferred",
            "issue_apology-reason": "Cần xác minh thêm.",
            "issue_apology-new_due_date": "2025-10-18",  # a Saturday
            "issue_apology-new_due_time": "16:30",
        },
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'href="#id_issue_apology-new_due_date"' in html
    assert "Ngày hẹn trả mới phải là ngày làm việc." in html
    assert snapshot() == before


# --- public tracking ----------------------------------------------------------------------


@pytest.fixture
def fresh_rate_limit() -> None:
    cache.clear()


def test_tracking_with_the_phone_number_shows_status_without_personal_data(
    world: World, fresh_rate_limit: None
) -> None:
    dossier = received(world)

    response = Client().post("/tra-cuu-ho-so/", {"code": dossier.code, "verifier": "0912 345 678"})

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Hồ sơ {dossier.code}" in html
    assert "Được tiếp nhận" in html
    assert "17:00 13/10/2025" in html
    assert "Nguyễn Thị Lan" not in html
    assert "0912345678" not in html


def test_tracking_answers_alike_for_a_wrong_verifier_and_an_unknown_code(
    world: World, fresh_rate_limit: None
) -> None:
    dossier = received(world)

    wrong = Client().post("/tra-cuu-ho-so/", {"code": dossier.code, "verifier": "9999"})
    unknown = Client().post(
        "/tra-cuu-ho-so/", {"code": "000.00.01.H56-251006-9999", "verifier": "2345"}
    )
    last_four = Client().post("/tra-cuu-ho-so/", {"code": dossier.code, "verifier": "2345"})

    assert wrong.status_code == unknown.status_code == 404
    message = "Không tìm thấy hồ sơ với mã số và thông tin xác thực đã nhập."
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()
    assert last_four.status_code == 200


def test_tracking_prefills_the_code_from_the_qr_link(world: World) -> None:
    html = Client().get("/tra-cuu-ho-so/?ma=000.00.01.H56-251006-0001").content.decode()

    assert 'value="000.00.01.H56-251006-0001"' in html


def test_tracking_is_rate_limited(world: World, fresh_rate_limit: None, settings: Any) -> None:
    settings.DOSSIER_TRACKING_RATE = (2, 600)
    client = Client()
    for _ in range(2):
        assert client.post("/tra-cuu-ho-so/", {"code": "X", "verifier": "1234"}).status_code == 404

    third = client.post("/tra-cuu-ho-so/", {"code": "X", "verifier": "1234"})

    assert third.status_code == 429
    assert "Bạn đã tra cứu quá nhiều lần." in third.content.decode()


def test_urls_are_named(world: World) -> None:
    assert reverse("dossiers:worklist") == "/ho-so/"
    assert reverse("dossiers:tracking") == "/tra-cuu-ho-so/"
    assert reverse("dossiers:act", kwargs={"pk": 3, "action": "sign-result"}) == (
        "/ho-so/3/sign-result/"
    )


def test_a_tab_shows_a_plus_past_the_cap(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    for module in ("queries", "worklist"):
        monkeypatch.setattr(
            importlib.import_module(f"motcua.dossiers.views.{module}"), "COUNT_CAP", 1
        )
    received(world)
    received(world)
    html = client_for("desk_officer").get("/ho-so/?list=to_transfer").content.decode()
    assert '<span class="visually-hidden">: </span>1+<span' in html
