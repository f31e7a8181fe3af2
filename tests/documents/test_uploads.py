"""``do_store_upload``: size, type by content, empty files, names, count; failures write nothing."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from motcua.audit.models import AuditEvent
from motcua.documents.actions import do_store_upload
from motcua.documents.errors import (
    DocumentPermissionDenied,
    EmptyFile,
    FileTooLarge,
    TooManyFiles,
    TypeNotAllowed,
)
from motcua.documents.models import StoredFile
from motcua.documents.selectors import list_stored_files, open_stored_file
from motcua.kernel.actors import Actor, ActorKind
from tests.documents.conftest import stored_files

pytestmark = pytest.mark.django_db

CITIZEN = Actor(kind=ActorKind.CITIZEN, id="c-1", display_name="Công dân")
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def _store(name: str, data: bytes, **kwargs):
    return do_store_upload(
        SimpleUploadedFile(name, data, content_type="application/octet-stream"),
        actor=kwargs.pop("actor", CITIZEN),
        subject_type="dossiers.dossier",
        subject_id=42,
        purpose=kwargs.pop("purpose", "component:to-khai"),
        **kwargs,
    )


def _nothing_written(media_root) -> None:
    assert StoredFile.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("name", "fmt", "content_type", "stored_name"),
    [
        ("To khai.pdf", None, "application/pdf", "To khai.pdf"),
        ("ảnh chụp CCCD.PNG", "PNG", "image/png", "ảnh chụp CCCD.png"),
        ("giay-chung-sinh.jpeg", "JPEG", "image/jpeg", "giay-chung-sinh.jpeg"),
        ("scan", "PNG", "image/png", "scan.png"),
    ],
)
def test_good_files_are_stored_with_type_hash_and_audit(
    media_root, name, fmt, content_type, stored_name
) -> None:
    data = PDF if fmt is None else _image(fmt)

    stored = _store(name, data)

    assert (stored.original_name, stored.content_type, stored.size) == (
        stored_name,
        content_type,
        len(data),
    )
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert (stored.subject_type, stored.subject_id, stored.purpose) == (
        "dossiers.dossier",
        "42",
        "component:to-khai",
    )
    assert stored.uploaded_by == "citizen:c-1"
    assert stored.file.name.startswith("documents/uploads/")
    assert name not in stored.file.name
    with open_stored_file(stored) as handle:
        assert handle.read() == data
    assert list(list_stored_files(subject_type="dossiers.dossier", subject_id=42)) == [stored]
    event = AuditEvent.objects.get()
    assert (event.action, event.aggregate_type, event.aggregate_id) == (
        "documents.file_uploaded",
        "documents.stored_file",
        str(stored.pk),
    )
    assert event.data["sha256"] == stored.sha256


def test_the_display_name_is_sanitised(media_root) -> None:
    stored = _store("../../Đơn xin<script>\x07.PDF", PDF)
    assert stored.original_name == "Đơn xin_script_.pdf"


def test_an_empty_file_is_refused(media_root) -> None:
    with pytest.raises(EmptyFile) as caught:
        _store("to-khai.pdf", b"")
    assert caught.value.code == "documents.empty_file"
    assert caught.value.message == "Tệp to-khai.pdf rỗng (0 byte). Vui lòng chọn lại tệp."
    _nothing_written(media_root)


def test_an_oversized_file_is_refused(settings, media_root) -> None:
    settings.DOCUMENTS_MAX_FILE_MB = 0.001  # 1,048 bytes
    with pytest.raises(FileTooLarge) as caught:
        _store("to-khai.pdf", PDF + b"%" * 1100)
    assert caught.value.code == "documents.file_too_large"
    assert caught.value.message == "Tệp to-khai.pdf vượt quá dung lượng cho phép (0.001 MB)."
    _nothing_written(media_root)


def test_the_default_limit_is_20_mb(media_root) -> None:
    big = SimpleUploadedFile("scan.pdf", b"")
    big.size = 20 * 1024 * 1024 + 1  # declared size: nothing is read
    with pytest.raises(FileTooLarge):
        do_store_upload(
            big, actor=CITIZEN, subject_type="dossiers.dossier", subject_id=42, purpose="x"
        )
    _nothing_written(media_root)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "to-khai.pdf",
            EXE,
            "Tệp to-khai.pdf không đúng định dạng cho phép (PDF, JPEG, PNG). "
            "Định dạng được kiểm tra theo nội dung tệp, không theo tên tệp.",
        ),
        (
            "to-khai.pdf",
            _image("PNG"),
            "Tệp to-khai.pdf có đuôi .pdf nhưng nội dung là PNG. "
            "Vui lòng đổi tên tệp cho đúng hoặc chọn lại tệp.",
        ),
        (
            "notes.txt",
            "Xin chào".encode(),
            "Tệp notes.txt không đúng định dạng cho phép (PDF, JPEG, PNG). "
            "Định dạng được kiểm tra theo nội dung tệp, không theo tên tệp.",
        ),
        (
            "cut.pdf",
            PDF[:40],  # a PDF header without its end: a truncated or disguised file
            "Tệp cut.pdf không đúng định dạng cho phép (PDF, JPEG, PNG). "
            "Định dạng được kiểm tra theo nội dung tệp, không theo tên tệp.",
        ),
    ],
    ids=["exe-renamed-pdf", "png-named-pdf", "text", "truncated-pdf"],
)
def test_the_type_is_read_from_the_content(
    media_root, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(TypeNotAllowed) as caught:
        _store(name, data)
    assert caught.value.code == "documents.type_not_allowed"
    assert caught.value.message == message
    _nothing_written(media_root)


def test_a_real_type_outside_the_allowed_ones_is_refused(media_root) -> None:
    with pytest.raises(TypeNotAllowed) as caught:
        _store("anh.png", _image("PNG"), allowed_types=("pdf",))
    assert "(PDF)" in caught.value.message
    _nothing_written(media_root)


def test_the_count_limit_per_subject_and_purpose(media_root) -> None:
    first = _store("a.pdf", PDF, max_count=1)
    other_purpose = _store("b.pdf", PDF, max_count=1, purpose="component:giay-chung-sinh")
    with pytest.raises(TooManyFiles) as caught:
        _store("c.pdf", PDF, max_count=1)
    assert caught.value.code == "documents.too_many_files"
    assert list(StoredFile.objects.order_by("id")) == [first, other_purpose]
    assert AuditEvent.objects.count() == 2


def test_an_anonymous_visitor_cannot_upload(media_root) -> None:
    with pytest.raises(DocumentPermissionDenied):
        _store("a.pdf", PDF, actor=Actor.anonymous())
    _nothing_written(media_root)
