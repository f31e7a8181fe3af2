"""Reads for the applicant's own dossiers ("My dossiers" of the citizen portal).

Only the citizen account that filed a dossier online sees it: anyone else gets
``dossier.not_found``, as for an unknown id. The list is keyset-paged newest first on
the partial index ``(applicant_user, -submitted_at, -id)``; a row carries what the list
shows (status, appointment date, what is asked now) without another query per row.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.models import Dossier, Rating, SupplementRequest, SupplementStage
from motcua.dossiers.selectors import HistoryEntry, list_history
from motcua.dossiers.states import DOSSIER_MACHINE, DossierState, is_applicant
from motcua.kernel.actors import Actor
from motcua.kernel.errors import InvalidInput

__all__ = [
    "APPLICANT_PAGE_SIZE",
    "ApplicantPage",
    "Ask",
    "asks_of",
    "can_withdraw",
    "get_applicant_dossier",
    "list_applicant_dossiers",
    "list_applicant_history",
    "open_supplement_request",
]

APPLICANT_PAGE_SIZE = 20
S = DossierState
_FIELDS = (
    "id",
    "code",
    "reference",
    "state",
    "national_status",
    "procedure_code",
    "procedure_version__name",
    "applicant_user_id",
    "submitted_at",
    "received_at",
    "due_at",
    "returned_at",
    "fee_total",
    "paid_at",
)


class Ask:
    """What the dossier asks of the applicant now (one at most)."""

    SUPPLEMENT = "supplement"
    PAYMENT = "payment"
    COLLECT = "collect"
    RATE = "rate"

    LABELS: dict[str, Any] = {
        SUPPLEMENT: _("Cần bổ sung giấy tờ"),
        PAYMENT: _("Cần nộp phí, lệ phí"),
        COLLECT: _("Có kết quả, chờ nhận"),
        RATE: _("Mời đánh giá"),
    }


def asks_of(dossier: Dossier, *, has_rating: bool) -> str:
    """Return what ``dossier`` asks of its applicant now (an ``Ask`` value), or ``""``."""
    if dossier.state in (S.RECEPTION_SUPPLEMENT, S.SUPPLEMENT_REQUESTED):
        return Ask.SUPPLEMENT
    if dossier.state in (S.AWAITING_PAYMENT, S.RESULT_AWAITING_PAYMENT) or (
        dossier.state == S.RESULT_READY and dossier.has_outstanding_fees
    ):
        return Ask.PAYMENT
    if dossier.state == S.RESULT_READY:
        return Ask.COLLECT
    if dossier.state == S.RETURNED and not has_rating:
        return Ask.RATE
    return ""


def can_withdraw(dossier: Dossier) -> bool:
    """Return whether the applicant may still withdraw ``dossier`` (not once the result exists)."""
    return dossier.state in DOSSIER_MACHINE.get("withdraw_online").source


@dataclass(frozen=True)
class ApplicantPage:
    items: list[Any]  # Dossier rows, each with ``has_rating``
    next_cursor: str | None


def _encode(dossier: Dossier) -> str:
    raw = f"{dossier.submitted_at.isoformat()}|{dossier.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = raw.split("|", 1)
        return dt.datetime.fromisoformat(moment), int(pk)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(
            code="dossier.bad_cursor", field_errors={"cursor": [_("Con trỏ trang không hợp lệ.")]}
        ) from None


def list_applicant_dossiers(
    actor: Actor, *, cursor: str | None = None, limit: int = APPLICANT_PAGE_SIZE
) -> ApplicantPage:
    """Return one page of the dossiers the actor's account filed, newest first.

    One query: the rows (with the procedure's name and whether a rating exists) after
    the keyset ``cursor`` (``dossier.bad_cursor`` when malformed).
    """
    if actor.user_id is None:
        return ApplicantPage(items=[], next_cursor=None)
    limit = max(1, min(limit, 50))
    queryset = (
        Dossier.objects.filter(applicant_user_id=actor.user_id)
        .select_related("procedure_version")
        .only(*_FIELDS)
        .annotate(has_rating=Exists(Rating.objects.filter(dossier_id=OuterRef("pk"))))
    )
    if cursor:
        moment, pk = _decode(cursor)
        queryset = queryset.filter(Q(submitted_at__lt=moment) | Q(submitted_at=moment, pk__lt=pk))
    rows = list(queryset.order_by("-submitted_at", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return ApplicantPage(items=rows, next_cursor=_encode(rows[-1]) if more and rows else None)


def get_applicant_dossier(actor: Actor, pk: int) -> Dossier:
    """Return dossier ``pk`` if the actor's account filed it; ``dossier.not_found`` else."""
    dossier = (
        Dossier.objects.select_related(
            "procedure_version", "case", "receiving_desk", "competent_agency", "result"
        )
        .filter(pk=pk)
        .first()
        if actor.user_id is not None
        else None
    )
    if dossier is None or not is_applicant(dossier, actor):
        raise DossierNotFound()
    return dossier


_PUBLIC_EVENTS = frozenset({"submit", "issue_apology", "rated"})


def list_applicant_history(dossier: Dossier) -> list[HistoryEntry]:
    """Return the events the applicant may see: every status change, the submission,
    apologies and their own rating (not internal warnings or digitisation steps)."""
    return [e for e in list_history(dossier) if e.state or e.action in _PUBLIC_EVENTS]


def open_supplement_request(dossier: Dossier) -> SupplementRequest | None:
    """Return the supplement request the applicant must answer now, if any."""
    if dossier.state == S.RECEPTION_SUPPLEMENT:
        stage = SupplementStage.RECEPTION
    elif dossier.state == S.SUPPLEMENT_REQUESTED:
        stage = SupplementStage.PROCESSING
    else:
        return None
    return (
        SupplementRequest.objects.filter(dossier=dossier, stage=stage, fulfilled_at__isnull=True)
        .select_related("form")
        .order_by("-requested_at", "-id")
        .first()
    )
