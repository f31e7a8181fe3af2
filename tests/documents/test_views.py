"""The public verification page: by code (the QR target) and by uploaded PDF, without login."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfWriter

from motcua.documents.actions import do_revoke_result
from motcua.documents.ca import get_local_ca
from motcua.documents.signing import sign_pdf
from tests.documents.conftest import DOSSIER_CODE, JUSTICE_CODE
from tests.documents.factories import make_result

pytestmark = pytest.mark.django_db

CODE = DOSSIER_CODE + "-KQ1"
PAGE = f"/xac-minh/{CODE}/"


@pytest.fixture(scope="module")
def signed_pdf() -> bytes:
    # A one-page PDF naming the result, signed by the agency (no WeasyPrint needed here)
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Giấy khai sinh", "/motcuaresultcode": CODE})
    buffer = io.BytesIO()
    writer.write(buffer)
    credentials = get_local_ca().credentials_for(JUSTICE_CODE, "Sở Tư pháp tỉnh Thanh Hóa")
    return sign_pdf(buffer.getvalue(), credentials=credentials, reason="Giấy khai sinh")


def test_the_page_offers_both_checks_without_login(client: Client) -> None:
    response = client.get("/xac-minh/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Xác minh kết quả điện tử – Một cửa điện tử</title>" in html
    assert 'name="lookup-code"' in html
    assert 'name="upload-file"' in html
    assert 'enctype="multipart/form-data"' in html
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert main.count('name="csrfmiddlewaretoken"') == 2  # both forms POST with CSRF


def test_a_code_redirects_to_its_page(client: Client) -> None:
    response = client.post("/xac-minh/", {"lookup-code": f"  {CODE} "})
    assert response.status_code == 302
    assert response["Location"] == PAGE


def test_a_blank_code_is_an_error_on_the_form(client: Client) -> None:
    response = client.post("/xac-minh/", {"lookup-code": ""})
    assert response.status_code == 422
    assert "is-invalid" in response.content.decode()


def test_the_qr_page_of_a_valid_result_shows_public_facts_only(client: Client) -> None:
    result = make_result()

    response = client.get(PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kết quả đang có hiệu lực" in html
    assert "Giấy khai sinh" in html
    assert "Sở Tư pháp tỉnh Thanh Hóa" in html
    assert JUSTICE_CODE in html
    assert result.sha256 in html
    assert "Nguyễn V*** A***" in html
    assert "Nguyễn Văn An" not in html  # never the holder's full name
    assert result.file.name not in html
    assert "/media/" not in html


def test_the_qr_page_of_a_revoked_result_says_when_and_why(client: Client, system_actor) -> None:
    result = make_result()
    revoked_at = dt.datetime(2026, 4, 1, 3, 0, tzinfo=dt.UTC)
    with mock.patch("motcua.kernel.clock.now", return_value=revoked_at):
        do_revoke_result(result, actor=system_actor, reason="Cấp nhầm người")

    html = client.get(PAGE).content.decode()

    assert "Kết quả đã bị hủy hiệu lực" in html
    assert '<time datetime="2026-04-01T10:00:00+07:00">10:00 01/04/2026</time>' in html
    assert "Lý do: Cấp nhầm người" in html
    assert "Kết quả đang có hiệu lực" not in html


def test_an_unknown_code_is_a_404_with_an_explanation(client: Client) -> None:
    response = client.get("/xac-minh/KHONG-CO-KQ1/")
    assert response.status_code == 404
    assert "Không có kết quả nào mang mã KHONG-CO-KQ1 trong hệ thống." in response.content.decode()


def test_uploading_the_issued_pdf_says_valid(client: Client, signed_pdf: bytes) -> None:
    make_result(pdf=signed_pdf)
    upload = SimpleUploadedFile("ket-qua.pdf", signed_pdf, content_type="application/pdf")

    response = client.post("/xac-minh/", {"upload-file": upload})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Hợp lệ" in html
    assert "Văn bản hợp lệ: chữ ký số đúng, nội dung nguyên vẹn và kết quả còn hiệu lực." in html
    assert "Nguyễn V*** A***" in html


def test_uploading_a_modified_pdf_says_tampered(client: Client, signed_pdf: bytes) -> None:
    make_result(pdf=signed_pdf)
    changed = bytearray(signed_pdf)
    position = signed_pdf.index(b"/MediaBox")
    changed[position + 1] = ord("m")  # /mediaBox: covered by the signature
    upload = SimpleUploadedFile("ket-qua.pdf", bytes(changed), content_type="application/pdf")

    html = client.post("/xac-minh/", {"upload-file": upload}).content.decode()

    assert "Đã bị sửa đổi" in html
    assert "Nguyễn V*** A***" not in html


def test_uploading_something_else_is_refused_on_the_form(client: Client) -> None:
    upload = SimpleUploadedFile(
        "ket-qua.pdf", b"MZ\x90\x00 executable", content_type="application/pdf"
    )
    response = client.post("/xac-minh/", {"upload-file": upload})
    assert response.status_code == 422
    assert "Tệp không phải là tệp PDF." in response.content.decode()


def test_posts_need_the_csrf_token() -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/xac-minh/", {"lookup-code": CODE}).status_code == 403
