"""Checks of uploaded files: the type read from the content, and a safe display name.

The type is decided by the bytes (magic numbers and a structural check), never by the
name or the browser's Content-Type: an executable renamed ``.pdf`` is rejected, and so
is a PNG named ``.pdf`` (the name would mislead whoever opens it later).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings

__all__ = [
    "KINDS",
    "FileKind",
    "detect_kind",
    "display_name",
    "extension_of",
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
}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def detect_kind(head: bytes, tail: bytes) -> FileKind | None:
    """Return the kind of a file from its first and last bytes (≥ 1 KiB each), or ``None``.

    PDF: ``%PDF-1.x``/``%PDF-2.x`` within the first 1 KiB and ``%%EOF`` in the last
    1 KiB; PNG: the 8-byte signature followed by the ``IHDR`` chunk; JPEG: SOI and a
    marker segment; TIFF: a little- or big-endian header.
    """
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


def max_upload_bytes() -> int:
    """Return the upload limit in bytes from ``DOCUMENTS_MAX_FILE_MB`` (default 20)."""
    return int(float(getattr(settings, "DOCUMENTS_MAX_FILE_MB", 20)) * 1024 * 1024)


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
