"""How a required document and a document in the data store are recognised as the same type.

The catalogue has no national list of document types, so the type of a document is a key
derived from what the catalogue does carry (ADR 0013):

* A required document (``catalog.ProcedureDocument``) whose ``code`` (the component code,
  *mã thành phần hồ sơ*) is set has that code as its type: ``"GKS"`` matches every item
  of type ``"GKS"``, whichever procedure produced it. A code ``"KQ:<procedure code>"``
  asks for the result of that procedure (``"KQ:2.000488"``: a criminal-record
  certificate issued here), whatever its title.
* Without a code, the type is ``"ten:"`` + the document's name folded (no diacritics,
  no case, no punctuation) with parenthesised qualifiers dropped: *"Phiếu lý lịch tư
  pháp"* and *"Phiếu Lý lịch tư pháp (bản chính)"* are the same type, *"Tờ khai yêu cầu
  cấp Phiếu lý lịch tư pháp"* is not. Exact match, never a substring.
* A result's type is the name key of its title (the procedure version's result name);
  an accepted upload keeps the type of the required document it was uploaded for.
"""

from __future__ import annotations

import re

from motcua.kernel.text import fold

__all__ = ["NAME_PREFIX", "RESULT_CODE_PREFIX", "name_key", "required_type", "result_procedure"]

NAME_PREFIX = "ten:"
RESULT_CODE_PREFIX = "KQ:"
_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def name_key(name: str) -> str:
    """Return ``"ten:<folded name>"``: ``"Giấy khai sinh (bản chính)"`` → ``"ten:giay khai sinh"``."""
    folded = fold(_PARENTHESES.sub(" ", name or ""))
    return NAME_PREFIX + _NOT_WORD.sub(" ", folded).strip()[:240]


def required_type(code: str, name: str) -> str:
    """Return the type key of a required document with component ``code`` and ``name``."""
    cleaned = (code or "").strip()
    return cleaned[:255] if cleaned else name_key(name)


def result_procedure(document_type: str) -> str | None:
    """Return the procedure code of a ``"KQ:<code>"`` type (a result asked for by procedure)."""
    if document_type.startswith(RESULT_CODE_PREFIX):
        return document_type[len(RESULT_CODE_PREFIX) :].strip() or None
    return None
