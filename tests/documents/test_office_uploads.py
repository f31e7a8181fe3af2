"""Office formats checked by structure, the per-dossier size limit, and the clamd hook
(against a tiny fake clamd speaking INSTREAM on a local socket)."""

from __future__ import annotations

import io
import socket
import socketserver
import struct
import threading
import zipfile
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.actions import do_store_upload
from motcua.documents.errors import (
    InfectedFile,
    ScanUnavailable,
    SubjectTooLarge,
    TypeNotAllowed,
)
from motcua.documents.models import StoredFile
from motcua.documents.uploads import allowed_types_for, detect_office_kind
from tests.documents.conftest import stored_files

pytestmark = pytest.mark.django_db

OFFICE = ("pdf", "jpeg", "png", "docx", "xlsx", "odt")
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def _ooxml(main: str, content_type: str, *, macros: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/{main}" ContentType="{content_type}"/></Types>',
        )
        archive.writestr(main, "<document/>")
        if macros:
            archive.writestr(macros, b"\x00" * 10)
    return buffer.getvalue()


def _odt(mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def _pdf(size: int) -> bytes:
    return b"%PDF-1.4\n" + b"%" * size + b"\n%%EOF\n"


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", b"MZ" + b"\x00" * 50)
    return buffer.getvalue()


def _store(name: str, data: bytes, **kwargs):  # type: ignore[no-untyped-def]
    return do_store_upload(
        SimpleUploadedFile(name, data),
        actor=kwargs.pop("actor"),
        subject_type="portal.draft",
        subject_id=5,
        purpose="document:1",
        **kwargs,
    )


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("Điều lệ.docx", _ooxml("word/document.xml", WORD), "docx"),
        ("Danh sách.xlsx", _ooxml("xl/workbook.xml", SHEET), "xlsx"),
        ("Đơn.odt", _odt(), "odt"),
    ],
)
def test_office_documents_are_recognised_by_their_parts(
    citizen, media_root, name: str, data: bytes, kind: str
) -> None:
    stored = _store(name, data, actor=citizen, allowed_types=OFFICE)

    assert stored.content_type.endswith(
        {"docx": "wordprocessingml.document", "xlsx": "spreadsheetml.sheet", "odt": "text"}[kind]
    )
    assert stored.original_name == name


@pytest.mark.parametrize(
    "data",
    [
        _ooxml("word/document.xml", WORD, macros="word/vbaProject.bin"),
        _ooxml("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
        _odt(b"application/vnd.oasis.opendocument.spreadsheet"),
        _plain_zip(),
        b"PK\x03\x04" + b"\x00" * 100,
    ],
    ids=["vba-project", "macro-enabled", "other-odf", "plain-zip", "broken-zip"],
)
def test_macro_enabled_or_disguised_archives_are_refused(citizen, media_root, data: bytes) -> None:
    with pytest.raises(TypeNotAllowed):
        _store("Điều lệ.docx", data, actor=citizen, allowed_types=OFFICE)
    assert detect_office_kind(data) is None
    assert StoredFile.objects.count() == 0
    assert stored_files(media_root) == []


def test_office_formats_only_where_the_procedure_allows_them(citizen, media_root, settings) -> None:
    settings.DOCUMENTS_ALLOWED_TYPES_BY_PROCEDURE = {"*": ("pdf",), "2.001610": OFFICE}

    assert allowed_types_for("1.001193") == ("pdf",)
    assert allowed_types_for("2.001610") == OFFICE
    with pytest.raises(TypeNotAllowed):
        _store("Điều lệ.docx", _ooxml("word/document.xml", WORD), actor=citizen,
               allowed_types=allowed_types_for("1.001193"))  # fmt: skip


def test_the_files_of_one_dossier_stay_within_the_limit(citizen, media_root) -> None:
    first = _store("a.pdf", _pdf(900), actor=citizen, max_total_bytes=2000)

    with pytest.raises(SubjectTooLarge) as error:
        _store("b.pdf", _pdf(1200), actor=citizen, max_total_bytes=2000)
    replaced = _store(
        "c.pdf", _pdf(1200), actor=citizen, max_total_bytes=2000, replacing=(first.pk,)
    )

    assert error.value.code == "documents.subject_too_large"
    assert "b.pdf" in error.value.message
    assert replaced.original_name == "c.pdf"


class _FakeClamd(socketserver.BaseRequestHandler):
    """Answers INSTREAM like clamd: FOUND for the EICAR test string, OK otherwise."""

    received: list[bytes] = []

    def handle(self) -> None:
        command = self.request.recv(10)
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            size = struct.unpack(">I", self._read(4))[0]
            if not size:
                break
            data += self._read(size)
        type(self).received.append(data)
        verdict = b"stream: Eicar-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
        self.request.sendall(verdict)

    def _read(self, size: int) -> bytes:
        chunks = b""
        while len(chunks) < size:
            chunk = self.request.recv(size - len(chunks))
            if not chunk:
                raise ConnectionError("closed")
            chunks += chunk
        return chunks


@pytest.fixture
def clamd(settings) -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _FakeClamd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"tcp://127.0.0.1:{server.server_address[1]}"
    settings.DOCUMENTS_CLAMD_URL = url
    _FakeClamd.received = []
    yield url
    server.shutdown()
    server.server_close()


def test_with_clamd_configured_clean_files_pass_and_infected_ones_are_refused(
    citizen, media_root, clamd: str
) -> None:
    clean = _store("don.pdf", PDF, actor=citizen)
    with pytest.raises(InfectedFile) as error:
        _store("nhiem.pdf", PDF[:-7] + EICAR + b"\n%%EOF\n", actor=citizen)

    assert clean.original_name == "don.pdf"
    assert _FakeClamd.received[0] == PDF
    assert error.value.code == "documents.infected_file"
    assert StoredFile.objects.count() == 1


def test_an_unreachable_clamd_refuses_the_upload(citizen, media_root, settings) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.DOCUMENTS_CLAMD_URL = f"tcp://127.0.0.1:{port}"

    with pytest.raises(ScanUnavailable):
        _store("don.pdf", PDF, actor=citizen)
    assert StoredFile.objects.count() == 0
    assert stored_files(media_root) == []
