"""Every form of both rule sets renders to a real PDF in Vietnamese (slow: 13 renders).

Each form is rendered once for the module; the tests read the text back with pypdf.
"""

from __future__ import annotations

import pytest

from motcua.documents.forms import FormKind, FormRuleSet, RenderedForm, kinds_in, render_form
from tests.documents.conftest import DOSSIER_CODE, make_context
from tests.documents.pdftext import page_count, pdf_text

pytestmark = pytest.mark.slow

CASES = [(rule_set, kind) for rule_set in FormRuleSet for kind in kinds_in(rule_set)]
IDS = [f"{rule_set.value}-{kind.name.lower()}" for rule_set, kind in CASES]

TITLES = {
    FormKind.RECEIPT_SLIP: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    FormKind.SUPPLEMENT_REQUEST: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    FormKind.REFUSAL: "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    FormKind.STOP_NOTICE: "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    FormKind.PROCESS_CONTROL_SLIP: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    FormKind.DOSSIER_REGISTER: "SỔ THEO DÕI HỒ SƠ",
}


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[FormRuleSet, FormKind], tuple[RenderedForm, str]]:
    forms = {}
    for rule_set, kind in CASES:
        form = render_form(make_context(kind, rule_set))
        forms[rule_set, kind] = (form, pdf_text(form.pdf))
    return forms


@pytest.mark.parametrize(("rule_set", "kind"), CASES, ids=IDS)
def test_each_form_is_a_pdf_with_heading_number_code_and_date(rendered, rule_set, kind) -> None:
    form, text = rendered[rule_set, kind]
    assert form.pdf.startswith(b"%PDF-")
    assert page_count(form.pdf) == 1
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert DOSSIER_CODE in text
    assert f"Mẫu số {form.form_number}" in text
    assert "Thanh Hóa, ngày 05 tháng 3 năm 2026" in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH THANH HÓA" in text
    assert form.form_version == f"{rule_set.value}/{form.form_number}"


@pytest.mark.parametrize(("rule_set", "kind"), CASES, ids=IDS)
def test_each_form_carries_its_title(rendered, rule_set, kind) -> None:
    _form, text = rendered[rule_set, kind]
    if kind is FormKind.APOLOGY_EXTENSION:
        expected = {
            FormRuleSet.TT01_2018: "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            FormRuleSet.TT03_2025: "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        }[rule_set]
    else:
        expected = TITLES[kind]
    assert expected in text


def test_the_legal_basis_line_names_the_circular(rendered) -> None:
    _form, text_2018 = rendered[FormRuleSet.TT01_2018, FormKind.RECEIPT_SLIP]
    _form, text_2025 = rendered[FormRuleSet.TT03_2025, FormKind.RECEIPT_SLIP]
    assert "Thông tư số 01/2018/TT-VPCP ngày 23 tháng 11 năm 2018" in text_2018
    assert "Thông tư số 03/2025/TT-VPCP" in text_2025


def test_the_control_slip_and_register_are_renumbered_in_2025(rendered) -> None:
    numbers = {key: form.form_number for key, (form, _text) in rendered.items()}
    assert numbers[FormRuleSet.TT01_2018, FormKind.PROCESS_CONTROL_SLIP] == "05"
    assert numbers[FormRuleSet.TT03_2025, FormKind.PROCESS_CONTROL_SLIP] == "06"
    assert numbers[FormRuleSet.TT01_2018, FormKind.DOSSIER_REGISTER] == "06"
    assert numbers[FormRuleSet.TT03_2025, FormKind.DOSSIER_REGISTER] == "07"
    assert numbers[FormRuleSet.TT03_2025, FormKind.STOP_NOTICE] == "05"


@pytest.mark.parametrize("rule_set", list(FormRuleSet))
def test_receipt_slip_fields(rendered, rule_set) -> None:
    _form, text = rendered[rule_set, FormKind.RECEIPT_SLIP]
    assert "tiếp nhận hồ sơ của: Nguyễn Văn An" in text
    assert "038095001234" in text  # the receipt slip is the applicant's proof: full number
    assert "Nội dung yêu cầu giải quyết: Đăng ký khai sinh (mã thủ tục 1.001193)" in text
    assert "Tờ khai đăng ký khai sinh" in text
    assert "Số lượng hồ sơ: 01 (bộ)" in text
    assert "Thời gian giải quyết hồ sơ theo quy định: 03 ngày làm việc" in text
    assert "Thời gian nhận hồ sơ: 14 giờ 30 phút, ngày 05/3/2026" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 10/3/2026" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert "Lê Thị Bình" in text


def test_supplement_refusal_apology_and_stop_notice_fields(rendered) -> None:
    _f, supplement = rendered[FormRuleSet.TT03_2025, FormKind.SUPPLEMENT_REQUEST]
    assert "Số: 000.00.12.H56-260305-0001/HDHS" in supplement
    assert "Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:" in supplement
    assert "Bản chụp không rõ chữ" in supplement
    assert "038******234" in supplement
    assert "038095001234" not in supplement
    assert "NGƯỜI HƯỚNG DẪN" in supplement
    _f, refusal = rendered[FormRuleSet.TT03_2025, FormKind.REFUSAL]
    assert "Lý do từ chối: Thiếu giấy chứng sinh hợp lệ" in refusal
    _f, apology_2018 = rendered[FormRuleSet.TT01_2018, FormKind.APOLOGY_EXTENSION]
    assert "Số: 000.00.12.H56-260305-0001/PXL" in apology_2018
    assert "Kính gửi: Nguyễn Văn An" in apology_2018
    assert "hẹn lại ngày trả kết quả vào ngày 12/3/2026" in apology_2018
    _f, apology_2025 = rendered[FormRuleSet.TT03_2025, FormKind.APOLOGY_EXTENSION]
    assert (
        "đề nghị gia hạn thời gian giải quyết hồ sơ; thời hạn trả kết quả mới là ngày 12/3/2026"
        in apology_2025
    )
    _f, stop = rendered[FormRuleSet.TT03_2025, FormKind.STOP_NOTICE]
    assert "thông báo dừng giải quyết hồ sơ nêu trên" in stop
    assert "Căn cứ: Khoản 2 Điều 10 Nghị định số 118/2025/NĐ-CP" in stop
    assert "Về phí, lệ phí đã nộp: Không phát sinh phí, lệ phí." in stop


def test_control_slip_and_register_rows(rendered) -> None:
    _f, slip = rendered[FormRuleSet.TT03_2025, FormKind.PROCESS_CONTROL_SLIP]
    assert "1. Giao: Bộ phận một cửa" in slip
    assert "2. Nhận: Sở Tư pháp" in slip
    assert "Trước hạn" in slip
    assert "Đang xử lý" in slip
    assert "Đã xử lý" in slip
    assert "15 giờ 00 phút, ngày 05/3/2026" in slip
    _f, register = rendered[FormRuleSet.TT03_2025, FormKind.DOSSIER_REGISTER]
    assert "Từ ngày 01/3/2026 đến ngày 31/3/2026" in register
    assert "Phường Hạc Thành – 0912345678" in register
