"""Text helpers for Vietnamese: search keys without diacritics, masking of identifiers."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "mask_id"]

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without diacritics and with single spaces.

    ``fold("Đăng ký  khai sinh") == "dang ky khai sinh"``. Đ/đ is not a combining
    mark in Unicode, so it is mapped explicitly.
    """
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.casefold()).strip()


def mask_id(value: str, visible: int = 3) -> str:
    """Mask an identification number for logs and screens: ``0380****1234`` style."""
    if not value:
        return ""
    if len(value) <= visible * 2:
        return "*" * len(value)
    return value[:visible] + "*" * (len(value) - visible * 2) + value[-visible:]
