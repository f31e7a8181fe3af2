"""Reads of the audit log: the history of one aggregate, and the chain verification."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from motcua.audit.chain import compute_hash
from motcua.audit.models import AuditEvent

__all__ = ["ChainBreak", "VerificationReport", "list_events_for", "verify_chain"]


def list_events_for(aggregate_type: str, aggregate_id: object) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        aggregate_type=aggregate_type, aggregate_id=str(aggregate_id)
    ).order_by("seq")


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    aggregate: str
    seq: int
    reason: str


@dataclass(frozen=True)
class VerificationReport:
    checked: int
    chains: int
    first_break: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def verify_chain(*, chunk_size: int = 5000) -> VerificationReport:
    """Recompute every hash, chain by chain; stop at the first altered, missing or moved row."""
    checked = 0
    chains = 0
    current: tuple[str, str] | None = None
    prev_hash = ""
    expected_seq = 1
    rows = AuditEvent.objects.order_by("aggregate_type", "aggregate_id", "seq").iterator(
        chunk_size=chunk_size
    )
    for event in rows:
        key = (event.aggregate_type, event.aggregate_id)
        if key != current:
            current, prev_hash, expected_seq = key, "", 1
            chains += 1
        label = f"{event.aggregate_type}:{event.aggregate_id}"
        if event.seq != expected_seq:
            return VerificationReport(
                checked, chains, ChainBreak(event.pk, label, event.seq, "missing_row_before")
            )
        if event.prev_hash != prev_hash:
            return VerificationReport(
                checked, chains, ChainBreak(event.pk, label, event.seq, "prev_hash_mismatch")
            )
        recomputed = compute_hash(
            seq=event.seq,
            occurred_at=event.occurred_at,
            actor_ref=event.actor_ref,
            action=event.action,
            aggregate_type=event.aggregate_type,
            aggregate_id=event.aggregate_id,
            data=event.data,
            prev_hash=event.prev_hash,
        )
        if recomputed != event.hash:
            return VerificationReport(
                checked, chains, ChainBreak(event.pk, label, event.seq, "content_altered")
            )
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    return VerificationReport(checked, chains, None)
