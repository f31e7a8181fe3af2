"""Outbox payloads of the documents app (topics ``documents.result_issued`` and ``…_revoked``).

Consumers (the citizen data store push, the national portal sync, notifications) get
the result code, its owner and its validity; never the holder's personal data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from motcua.documents.models import Result

__all__ = ["ResultIssued", "ResultRevoked"]


@dataclass(frozen=True)
class ResultIssued:
    topic: ClassVar[str] = "documents.result_issued"
    code: str
    subject_type: str
    subject_id: str
    agency_code: str
    title: str
    sha256: str
    issued_at: dt.datetime

    @classmethod
    def from_result(cls, result: Result) -> ResultIssued:
        return cls(
            code=result.code,
            subject_type=result.subject_type,
            subject_id=result.subject_id,
            agency_code=result.agency_code,
            title=result.title,
            sha256=result.sha256,
            issued_at=result.issued_at,
        )

    def payload(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ResultRevoked:
    topic: ClassVar[str] = "documents.result_revoked"
    code: str
    subject_type: str
    subject_id: str
    agency_code: str
    revoked_at: dt.datetime
    reason: str

    @classmethod
    def from_result(cls, result: Result) -> ResultRevoked:
        assert result.revoked_at is not None
        return cls(
            code=result.code,
            subject_type=result.subject_type,
            subject_id=result.subject_id,
            agency_code=result.agency_code,
            revoked_at=result.revoked_at,
            reason=result.revocation_reason,
        )

    def payload(self) -> dict[str, Any]:
        return asdict(self)
