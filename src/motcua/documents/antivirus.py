"""The optional antivirus check of uploads: ClamAV's ``clamd`` over its INSTREAM command.

Off by default. ``DOCUMENTS_CLAMD_URL`` turns it on: ``tcp://host:3310`` or
``unix:///run/clamav/clamd.ctl``. The file is streamed in chunks (4-byte big-endian
length, then the bytes; a zero length ends it) after ``zINSTREAM``; clamd answers
``stream: OK`` or ``stream: <signature> FOUND``. When clamd cannot be reached or answers
something else, the upload is refused (``documents.scan_unavailable``): an unscanned file
is never stored once scanning is configured. ``DOCUMENTS_CLAMD_TIMEOUT`` (seconds,
default 10) bounds the whole exchange.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

__all__ = ["ScanResult", "ScanUnavailable", "clamd_url", "scan_bytes"]

CHUNK = 64 * 1024


class ScanUnavailable(Exception):
    """clamd could not be reached, or gave an answer that is neither OK nor FOUND."""


@dataclass(frozen=True)
class ScanResult:
    is_clean: bool
    signature: str = ""


def clamd_url() -> str:
    """Return the configured clamd address, or ``""`` when scanning is off."""
    return str(getattr(settings, "DOCUMENTS_CLAMD_URL", "") or "").strip()


def _connect(url: str, timeout: float) -> socket.socket:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(parts.path)
        return sock
    if parts.scheme == "tcp" and parts.hostname:
        return socket.create_connection((parts.hostname, parts.port or 3310), timeout=timeout)
    raise ScanUnavailable(f"unsupported clamd address {url!r}")


def scan_bytes(data: bytes, *, url: str | None = None) -> ScanResult:
    """Send ``data`` to clamd and return its verdict; raise ``ScanUnavailable`` on failure."""
    address = url if url is not None else clamd_url()
    timeout = float(getattr(settings, "DOCUMENTS_CLAMD_TIMEOUT", 10))
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                sock.sendall(struct.pack(">I", len(chunk)) + chunk)
            sock.sendall(struct.pack(">I", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                answer += part
    except OSError as error:
        raise ScanUnavailable(str(error)) from error
    text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    if text.endswith("OK"):
        return ScanResult(is_clean=True)
    if text.endswith("FOUND"):
        verdict = text.split(":", 1)[-1].strip()
        return ScanResult(is_clean=False, signature=verdict[: -len("FOUND")].strip()[:200])
    raise ScanUnavailable(f"unexpected clamd answer {text[:80]!r}")
