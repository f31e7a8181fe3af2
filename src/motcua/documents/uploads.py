"""Checks of uploaded files: the type read from the content, and a safe display name.

The type is decided by the bytes (magic numbers and a structural check), never by the
name or the browser's Content-Type: an executable renamed ``.pdf`` is rejected, and so
is a PNG named ``.pdf`` (the name would mislead whoever opens it later). Office files
(DOCX, XLSX, ODT) are ZIP containers: they are recognised by their parts (the OOXML
content types and main part, the ODF ``mimetype`` entry stored first), and macro-enabled
variants are refused; nothing is ever extracted.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings

__all__ = [
    "DEFAULT_TYPES",
    "KINDS",
    "OFFICE_KINDS",
    "FileKind",
    "allowed_types_for",
    "detect_kind",
    "detect_office_kind",
    "display_name",
    "extension_of",
    "max_subject_bytes",
    "max_upload_bytes",
    "read_limited",
    "sanitize_filename",
]

READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    key: str  # "pdf", "jpeg", "png", "tiff"
    content_type: str
    extensions: tuple[str, ...]  # accepted name endings, the first is canonical
    label: str


KINDS: dict[str, FileKind] = {
    "pdf": FileKind("pdf", "application/pdf", ("pdf",), "PDF"),
    "jpeg": FileKind("jpeg", "image/jpeg", ("jpg", "jpeg", "jpe"), "JPEG"),
    "png": FileKind("png", "image/png", ("png",), "PNG"),
    "tiff": FileKind("tiff", "image/tiff", ("tif", "tiff"), "TIFF"),
    "docx": FileKind(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
        "DOCX",
    ),
    "xlsx": FileKind(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
        "XLSX",
    ),
    "odt": FileKind("odt", "application/vnd.oasis.opendocument.text", ("odt",), "ODT"),
}
OFFICE_KINDS = ("docx", "xlsx", "odt")

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def detect_kind(head: bytes, tail: bytes, data: bytes | None = None) -> FileKind | None:
    """Return the kind of a file from its first and last bytes (≥ 1 KiB each), or ``None``.

    PDF: ``%PDF-1.x``/``%PDF-2.x`` within the first 1 KiB and ``%%EOF`` in the last
    1 KiB; PNG: the 8-byte signature followed by the ``IHDR`` chunk; JPEG: SOI and a
    marker segment; TIFF: a little- or big-endian header. With the whole file
    (``data``), a ZIP container is checked as an office document (``detect_office_kind``).
    """
    if data is not None and head[:4] == b"PK\x03\x04":
        return detect_office_kind(data)
    start = head[:1024].find(b"%PDF-")
    if start != -1 and head[start + 5 : start + 6] in (b"1", b"2") and b"%%EOF" in tail[-1024:]:
        return KINDS["pdf"]
    if head.startswith(_PNG_SIGNATURE) and head[12:16] == b"IHDR":
        return KINDS["png"]
    if head[:3] == b"\xff\xd8\xff" and len(head) > 4:
        return KINDS["jpeg"]
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return KINDS["tiff"]
    return None


_OOXML = {
    # kind: (main part, main content type, macro project part)
    "docx": (
        "word/document.xml",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "word/vbaProject.bin",
    ),
    "xlsx": (
        "xl/workbook.xml",
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "xl/vbaProject.bin",
    ),
}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_MAX_ZIP_ENTRIES = 5000
_MAX_MANIFEST_BYTES = 1024 * 1024


def detect_office_kind(data: bytes) -> FileKind | None:
    """Return DOCX, XLSX or ODT when ``data`` is a well-formed container of that kind.

    OOXML: ``[Content_Types].xml`` declares the main part (``word/document.xml`` with the
    WordprocessingML type, ``xl/workbook.xml`` with the SpreadsheetML type), the part
    exists, and there is no VBA project (``.docm``/``.xlsm`` saved under another name).
    ODT: the first entry is ``mimetype``, stored uncompressed, holding the ODF text type,
    and ``content.xml`` exists. Anything else, or a damaged archive, is ``None``.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if not infos or len(infos) > _MAX_ZIP_ENTRIES:
                return None
            names = {info.filename for info in infos}
            first = infos[0]
            if first.filename == "mimetype":
                if first.compress_type != zipfile.ZIP_STORED or first.file_size > 200:
                    return None
                if archive.read(first).strip() == _ODT_MIMETYPE and "content.xml" in names:
                    return KINDS["odt"]
                return None
            if "[Content_Types].xml" not in names:
                return None
            manifest = archive.getinfo("[Content_Types].xml")
            if manifest.file_size > _MAX_MANIFEST_BYTES:
                return None
            types = archive.read(manifest)
            for key, (part, content_type, macros) in _OOXML.items():
                if part in names and content_type in types:
                    return None if macros in names or b"macroEnabled" in types else KINDS[key]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, EOFError, OSError):
        return None
    return None


def extension_of(name: str) -> str:
    """Return the lower-case extension of ``name`` without the dot ("" when none)."""
    _root, ext = os.path.splitext(name)
    return ext[1:].lower()


_UNSAFE = re.compile(r"[^\w\s.()\-]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
MAX_NAME_LENGTH = 150


def _clean_root(name: str) -> tuple[str, str]:
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    root, ext = os.path.splitext(base)
    root = _SPACES.sub(" ", _UNSAFE.sub("_", root)).strip(" .")
    return (root or "tep-tin")[:MAX_NAME_LENGTH], ext[1:].lower()


def display_name(name: str) -> str:
    """Return ``name`` cleaned for an error message (no path, no markup, length capped)."""
    root, ext = _clean_root(name)
    ext = _UNSAFE.sub("", ext)[:10]
    return f"{root}.{ext}" if ext else root


def sanitize_filename(name: str, *, kind: FileKind) -> str:
    """Return a display name safe to store and to send back in Content-Disposition.

    Keep the last path component (``/`` or ``\\``), Unicode letters (Vietnamese stays
    readable, NFC), digits, spaces, dots, hyphens and parentheses; drop control
    characters and leading dots; cap the length; end with an extension of ``kind``.
    ``"../../Đơn xin<script>.PDF"`` → ``"Đơn xin_script_.pdf"``.
    """
    root, ext = _clean_root(name)
    extension = ext if ext in kind.extensions else kind.extensions[0]
    return f"{root}.{extension}"


DEFAULT_TYPES = ("pdf", "jpeg", "png")


def allowed_types_for(procedure_code: str) -> tuple[str, ...]:
    """Return the file kinds an applicant may upload for ``procedure_code``.

    ``DOCUMENTS_ALLOWED_TYPES_BY_PROCEDURE`` maps a procedure code (or ``"*"``, every
    procedure) to kinds of ``KINDS``; the default is PDF, JPEG and PNG. Office formats
    (``"docx"``, ``"xlsx"``, ``"odt"``) are allowed only where a procedure lists them.
    """
    table = dict(getattr(settings, "DOCUMENTS_ALLOWED_TYPES_BY_PROCEDURE", {}))
    kinds = table.get(procedure_code) or table.get("*") or DEFAULT_TYPES
    return tuple(kind for kind in kinds if kind in KINDS)


def max_upload_bytes() -> int:
    """Return the upload limit in bytes from ``DOCUMENTS_MAX_FILE_MB`` (default 20)."""
    return int(float(getattr(settings, "DOCUMENTS_MAX_FILE_MB", 20)) * 1024 * 1024)


def max_subject_bytes() -> int:
    """Return the limit of all files of one dossier or draft, ``DOCUMENTS_MAX_DOSSIER_MB``
    (default 50)."""
    return int(float(getattr(settings, "DOCUMENTS_MAX_DOSSIER_MB", 50)) * 1024 * 1024)


def read_limited(uploaded_file: IO[bytes] | Any, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes, so an oversized stream is never held in memory."""
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    parts: list[bytes] = []
    total = 0
    chunks = uploaded_file.chunks(READ_CHUNK) if hasattr(uploaded_file, "chunks") else None
    while total <= limit:
        chunk = next(chunks, b"") if chunks is not None else uploaded_file.read(READ_CHUNK)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)
