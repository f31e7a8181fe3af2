"""Reads of dossiers, always scoped to the actor's agency and role (DESIGN §4.8).

* Worklists per role (``Worklist``): to receive, to transfer, awaiting supplements and to
  return at the desk; to assign, to process, to review and to sign in an agency. Lists
  are ordered by appointment date then id and paged by keyset (``cursor``), 50 a page,
  on the indexes ``(receiving_desk|current_agency, state, due_at, id)``.
* ``list_dossiers`` (the API list), ``count_by_state``, ``get_dossier_for``,
  ``list_available_actions`` (the buttons: from the machine, never from templates),
  ``list_history``.
* ``find_dossier_for_tracking``: the public look-up, answering "not found" alike for an
  unknown code and a wrong verifier, so that codes cannot be enumerated.
* ``list_dossiers_needing_warning``: dossiers due within ``DOSSIER_WARN_WORKING_DAYS``
  working days without an apology.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.audit.selectors import list_events_for
from motcua.dossiers import deadlines
from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.models import Dossier, Extension, SupplementRequest, SupplementStage
from motcua.dossiers.states import (
    DESK_ROLES,
    DOSSIER_MACHINE,
    EXTRA_ACTIONS,
    PROCESSING_STATES,
    DossierState,
    at_current_agency,
    at_receiving_desk,
)
from motcua.identity.roles import Role
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import InvalidInput, PermissionDenied

__all__ = [
    "LIST_FIELDS",
    "PAGE_SIZE",
    "ROW_FIELDS",
    "WORKLIST_ROW_FIELDS",
    "AvailableAction",
    "HistoryEntry",
    "Page",
    "TrackingView",
    "Worklist",
    "count_by_state",
    "find_dossier_for_tracking",
    "get_dossier_for",
    "list_available_actions",
    "list_dossiers",
    "list_dossiers_needing_warning",
    "list_history",
    "list_worklist",
]

PAGE_SIZE = 50
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
S = DossierState
_LEADERS = frozenset({Role.REVIEWER, Role.SIGNER})
_AGGREGATE = "dossiers.dossier"


@dataclass(frozen=True)
class _WorklistSpec:
    states: frozenset[str]
    roles: frozenset[str]
    desk: bool


class Worklist:
    """The worklists of each role; the value is what the API and the URLs use."""

    TO_RECEIVE = "to_receive"
    TO_TRANSFER = "to_transfer"
    SUPPLEMENTS = "supplements"
    TO_RETURN = "to_return"
    TO_ASSIGN = "to_assign"
    TO_PROCESS = "to_process"
    TO_REVIEW = "to_review"
    TO_SIGN = "to_sign"

    SPECS: dict[str, _WorklistSpec] = {
        TO_RECEIVE: _WorklistSpec(frozenset({S.SUBMITTED}), frozenset(DESK_ROLES), True),
        TO_TRANSFER: _WorklistSpec(frozenset({S.RECEIVED}), frozenset(DESK_ROLES), True),
        SUPPLEMENTS: _WorklistSpec(
            frozenset({S.RECEPTION_SUPPLEMENT, S.SUPPLEMENT_REQUESTED}), frozenset(DESK_ROLES), True
        ),
        TO_RETURN: _WorklistSpec(
            frozenset({S.RESULT_READY, S.RESULT_AWAITING_PAYMENT}), frozenset(DESK_ROLES), True
        ),
        TO_ASSIGN: _WorklistSpec(frozenset({S.TRANSFERRED}), _LEADERS | {Role.HANDLER}, False),
        TO_PROCESS: _WorklistSpec(
            frozenset({S.IN_PROCESS, S.AWAITING_PAYMENT}), _LEADERS | {Role.HANDLER}, False
        ),
        TO_REVIEW: _WorklistSpec(frozenset({S.UNDER_REVIEW}), frozenset({Role.REVIEWER}), False),
        TO_SIGN: _WorklistSpec(frozenset({S.AWAITING_SIGNATURE}), frozenset({Role.SIGNER}), False),
    }
    LABELS: dict[str, Any] = {
        TO_RECEIVE: _("Hồ sơ chờ tiếp nhận"),
        TO_TRANSFER: _("Hồ sơ chờ chuyển xử lý"),
        SUPPLEMENTS: _("Hồ sơ chờ bổ sung"),
        TO_RETURN: _("Hồ sơ chờ trả kết quả"),
        TO_ASSIGN: _("Hồ sơ chờ phân công"),
        TO_PROCESS: _("Hồ sơ đang xử lý"),
        TO_REVIEW: _("Hồ sơ chờ xem xét"),
        TO_SIGN: _("Hồ sơ chờ ký duyệt"),
    }

    @classmethod
    def for_actor(cls, actor: Actor) -> list[str]:
        """Return the worklists ``actor``'s roles give access to, in display order."""
        return [name for name, spec in cls.SPECS.items() if actor.has_role(*spec.roles)]

    @classmethod
    def holds_own_only(cls, actor: Actor, name: str) -> bool:
        """Whether worklist ``name`` of ``actor`` holds only the dossiers assigned to them
        (a HANDLER without a leader's role, in ``to_process``)."""
        return name == cls.TO_PROCESS and not actor.has_role(*_LEADERS)


@dataclass(frozen=True)
class Page:
    """One page of a list: ``Dossier`` instances, or dicts of the row fields (``as_rows``)."""

    items: list[Any]
    next_cursor: str | None


def encode_cursor(item: Dossier | dict[str, Any]) -> str:
    if isinstance(item, dict):
        due_at, pk = item["due_at"], item["id"]
    else:
        due_at, pk = item.due_at, item.pk
    due = due_at.isoformat() if due_at is not None else ""
    return base64.urlsafe_b64encode(f"{due}|{pk}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dt.datetime | None, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        due_text, pk_text = raw.split("|", 1)
        return (dt.datetime.fromisoformat(due_text) if due_text else None), int(pk_text)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(
            code="dossier.bad_cursor", field_errors={"cursor": [_("Con trỏ trang không hợp lệ.")]}
        ) from None


def _ordered(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.order_by(F("due_at").asc(nulls_last=True), "pk")


def _head(queryset: QuerySet[Any], cursor: str | None, limit: int) -> QuerySet[Any]:
    """Return the first ``limit + 1`` rows after ``cursor`` (unevaluated).

    After a dated cursor these are only the dated rows: ``_page`` tops up with the
    undated ones when there are not enough.
    """
    if not cursor:
        return _ordered(queryset)[: limit + 1]
    due, pk = _decode_cursor(cursor)
    if due is None:
        return queryset.filter(due_at__isnull=True, pk__gt=pk).order_by("pk")[: limit + 1]
    dated = queryset.filter(due_at__gte=due).exclude(due_at=due, pk__lte=pk)
    return dated.order_by("due_at", "pk")[: limit + 1]


def _page(queryset: QuerySet[Any], cursor: str | None, limit: int) -> Page:
    """Return the page after ``cursor`` in (due_at NULLS LAST, id) order.

    The condition after a cursor is written as a range on ``due_at`` (an index seek on
    ``(agency, [state,] due_at, id)``) plus the few rows of the same instant, and the
    dossiers without a due date (not received yet) are read after the dated ones, so a
    deep page costs what the first one does.
    """
    limit = max(1, min(limit, PAGE_SIZE))
    rows = list(_head(queryset, cursor, limit))
    if cursor and len(rows) <= limit and _decode_cursor(cursor)[0] is not None:
        undated = queryset.filter(due_at__isnull=True).order_by("pk")
        rows += list(undated[: limit + 1 - len(rows)])
    return _cut(rows, limit)


def _cut(rows: list[Any], limit: int) -> Page:
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_cursor=encode_cursor(rows[-1]) if more and rows else None)


def _union_page(ranges: list[QuerySet[Any]], cursor: str | None, limit: int) -> Page | None:
    """Return the merged page of several ordered ranges in one statement, or ``None``.

    ``(… LIMIT n+1) UNION ALL (… LIMIT n+1) ORDER BY … LIMIT n+1``: one round trip and
    ``n + 1`` rows built instead of one query and ``n + 1`` rows per range. When the
    union has no more than ``n`` rows (the last page) the undated rows may be missing
    after a dated cursor: ``None`` tells the caller to page each range on its own.
    """
    limit = max(1, min(limit, PAGE_SIZE))
    first, *others = (_head(queryset, cursor, limit) for queryset in ranges)
    merged = first.union(*others, all=True).order_by(F("due_at").asc(nulls_last=True), "id")
    rows = list(merged[: limit + 1])
    return _cut(rows, limit) if len(rows) > limit else None


# The columns a list row shows: lists never load the route, the fees or the people's details.
LIST_FIELDS = (
    "code",
    "reference",
    "state",
    "national_status",
    "procedure_code",
    "procedure_version__name",
    "applicant_name",
    "applicant_id_number",
    "receiving_desk__code",
    "receiving_desk__name",
    "current_agency__code",
    "current_agency__name",
    "assignee_id",
    "received_at",
    "due_at",
    "finished_at",
)


# The same columns as plain values, for the API (no model instances to build).
ROW_FIELDS = (
    "id",
    "code",
    "reference",
    "state",
    "national_status",
    "procedure_code",
    "procedure_version__name",
    "applicant_name",
    "receiving_desk__code",
    "current_agency__code",
    "received_at",
    "due_at",
    "finished_at",
)


# What the officials' worklist page shows: the API's columns and the (masked) ID number.
WORKLIST_ROW_FIELDS = (*ROW_FIELDS, "applicant_id_number")


def _listing(as_rows: bool = False, fields: tuple[str, ...] = ROW_FIELDS) -> QuerySet[Any]:
    if as_rows:
        return Dossier.objects.values(*fields)
    return Dossier.objects.select_related(
        "procedure_version", "current_agency", "receiving_desk"
    ).only(*LIST_FIELDS)


def _due_filter(due: str | None, at: dt.datetime) -> Q:
    if not due:
        return Q()
    # Only dossiers still being handled are due soon or overdue (a partial index each).
    if due == "overdue":
        return Q(finished_at__isnull=True, due_at__lt=at)
    if due == "soon":
        threshold = deadlines.warning_threshold(
            at, int(getattr(settings, "DOSSIER_WARN_WORKING_DAYS", 1)), deadlines.schedule_of(None)
        )
        return Q(finished_at__isnull=True, due_at__gte=at, due_at__lte=threshold)
    raise InvalidInput(
        code="dossier.bad_filter", field_errors={"due": [_("Chỉ nhận 'soon' hoặc 'overdue'.")]}
    )


def list_worklist(
    actor: Actor,
    worklist: str,
    *,
    due: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    at: dt.datetime | None = None,
    as_rows: bool = False,
    fields: tuple[str, ...] = ROW_FIELDS,
) -> Page:
    """Return one page of ``worklist`` for ``actor``'s agency, by due date then id.

    ``due``: ``"soon"`` (within ``DOSSIER_WARN_WORKING_DAYS`` working days) or
    ``"overdue"``. ``as_rows``: dicts of ``fields`` instead of ``Dossier`` instances.
    Raise ``PermissionDenied`` when the actor's roles do not give this worklist; an actor without an agency gets an empty page. A HANDLER without a
    leader's role sees only the dossiers assigned to them in ``to_process``.
    """
    spec = Worklist.SPECS.get(worklist)
    if spec is None:
        raise InvalidInput(code="dossier.unknown_worklist", field_errors={"worklist": [worklist]})
    if not actor.has_role(*spec.roles):
        raise PermissionDenied(code="dossier.worklist_not_allowed")
    if actor.agency_id is None:
        return Page(items=[], next_cursor=None)
    scope = (
        {"receiving_desk_id": actor.agency_id}
        if spec.desk
        else {"current_agency_id": actor.agency_id}
    )
    queryset = _listing(as_rows, fields).filter(**scope)
    if Worklist.holds_own_only(actor, worklist):
        queryset = queryset.filter(assignee_id=actor.user_id)
    queryset = queryset.filter(_due_filter(due, at or clock.now()))
    # One ordered index seek per state, merged: ``state IN (…)`` would sort every match.
    ranges = [queryset.filter(state=state) for state in sorted(spec.states)]
    if len(ranges) > 1 and connection.features.supports_slicing_ordering_in_compound:
        page = _union_page(ranges, cursor, limit)
        if page is not None:
            return page
    return _merge([_page(queryset, cursor, limit) for queryset in ranges], limit)


def _sort_key(item: Dossier | dict[str, Any]) -> tuple[bool, dt.datetime, int]:
    due_at = item["due_at"] if isinstance(item, dict) else item.due_at
    pk = item["id"] if isinstance(item, dict) else item.pk
    return (due_at is None, due_at or _EPOCH, pk)


def _merge(pages: list[Page], limit: int) -> Page:
    """Merge pages of the same order into one page of ``limit`` items."""
    if len(pages) == 1:
        return pages[0]
    limit = max(1, min(limit, PAGE_SIZE))
    items = sorted((item for page in pages for item in page.items), key=_sort_key)
    more = len(items) > limit or any(page.next_cursor for page in pages)
    items = items[:limit]
    return Page(items=items, next_cursor=encode_cursor(items[-1]) if more and items else None)


def _scope_field(actor: Actor, scope: str | None) -> str:
    if scope == "desk" or (
        scope is None and actor.has_role(*DESK_ROLES) and not actor.is_superuser
    ):
        return "receiving_desk_id"
    return "current_agency_id"


def list_dossiers(
    actor: Actor,
    *,
    scope: str | None = None,
    state: str | None = None,
    national_status: int | None = None,
    due: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    at: dt.datetime | None = None,
    as_rows: bool = False,
    fields: tuple[str, ...] = ROW_FIELDS,
) -> Page:
    """Return one page of the dossiers of ``actor``'s agency, by due date then id.

    ``scope`` ``"desk"`` lists the dossiers the actor's desk received, ``"agency"`` those
    the actor's agency holds now (default: desk for desk staff, agency otherwise).
    """
    if actor.agency_id is None:
        return Page(items=[], next_cursor=None)
    queryset = _listing(as_rows, fields).filter(**{_scope_field(actor, scope): actor.agency_id})
    if state:
        queryset = queryset.filter(state=state)
    if national_status:
        queryset = queryset.filter(national_status=national_status)
    queryset = queryset.filter(_due_filter(due, at or clock.now()))
    return _page(queryset, cursor, limit)


def count_by_state(actor: Actor, *, scope: str | None = None) -> dict[str, int]:
    """Return the number of dossiers per state for ``actor``'s agency (zeros omitted)."""
    if actor.agency_id is None:
        return {}
    rows = (
        Dossier.objects.filter(**{_scope_field(actor, scope): actor.agency_id})
        .values("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["state"]: row["n"] for row in rows}


def _visible_to(dossier: Dossier, actor: Actor) -> bool:
    if actor.is_system or actor.is_superuser:
        return True
    if actor.agency_id is None:
        return False
    agencies = {dossier.receiving_desk_id, dossier.current_agency_id, dossier.competent_agency_id}
    agencies |= {leg["agency_id"] for leg in dossier.route}
    return actor.agency_id in agencies


def get_dossier_for(actor: Actor, pk: int) -> Dossier:
    """Return dossier ``pk`` if ``actor``'s agency received, holds, decides or routes it.

    Raise ``dossier.not_found`` otherwise (the same answer as for an unknown id).
    """
    dossier = (
        Dossier.objects.select_related(
            "procedure_version",
            "case",
            "receiving_desk",
            "competent_agency",
            "current_agency",
            "assignee",
        )
        .filter(pk=pk)
        .first()
    )
    if dossier is None or not _visible_to(dossier, actor):
        raise DossierNotFound()
    return dossier


@dataclass(frozen=True)
class AvailableAction:
    """A button: ``name`` (transition or extra action), the ``action`` function to call."""

    name: str
    label: str
    style: str
    action: str


_ACTION_OF = {
    "receive": "do_receive_dossier",
    "request_reception_supplement": "do_request_reception_supplement",
    "resubmit": "do_record_reception_supplement",
    "refuse": "do_refuse_dossier",
    "transfer": "do_transfer_dossier",
    "assign": "do_assign_dossier",
    "submit_for_review": "do_submit_for_review",
    "approve": "do_approve_dossier",
    "send_back": "do_send_back_dossier",
    "sign_result": "do_sign_result",
    "sign_result_pending_payment": "do_sign_result",
    "forward_to_next_agency": "do_forward_to_next_agency",
    "request_supplement": "do_request_supplement",
    "receive_supplement": "do_receive_supplement",
    "request_payment": "do_request_payment",
    "record_payment": "do_record_payment",
    "record_payment_release": "do_record_payment",
    "stop": "do_stop_processing",
    "withdraw": "do_withdraw_dossier",
    "return_result": "do_return_result",
    "digitise_document": "do_digitise_document",
    "mark_document_exempt": "do_mark_document_exempt",
    "issue_apology": "do_issue_apology",
    "record_payment_at_collection": "do_record_payment",
    "resubmit_online": "do_answer_supplement",
    "supplement_online": "do_answer_supplement",
    "withdraw_online": "do_withdraw_by_applicant",
}


def _is_offered(dossier: Dossier, name: str, at: dt.datetime) -> bool:
    """Return whether the dossier's data allows ``name`` now (the actions check it again)."""
    if name == "sign_result":
        return dossier.is_last_agency
    if name == "forward_to_next_agency":
        return not dossier.is_last_agency
    if name == "request_supplement":
        return not SupplementRequest.objects.filter(
            dossier=dossier, stage=SupplementStage.PROCESSING, agency_id=dossier.current_agency_id
        ).exists()
    if name == "request_payment":
        return dossier.fee_total > 0 and dossier.paid_at is None
    if name == "issue_apology":
        return (
            not dossier.is_extended
            and dossier.due_at is not None
            and at < dossier.due_at
            and not Extension.objects.filter(dossier=dossier).exists()
        )
    if name == "record_payment_at_collection":
        return dossier.has_outstanding_fees
    if name in {"digitise_document", "mark_document_exempt"}:
        return any(d.needs_digitisation for d in dossier.documents.all())
    return True


def list_available_actions(
    dossier: Dossier, actor: Actor, *, at: dt.datetime | None = None
) -> list[AvailableAction]:
    """Return what ``actor`` may do now on ``dossier``: transitions, then other actions."""
    moment = at or clock.now()
    found: list[AvailableAction] = []
    for transition in DOSSIER_MACHINE.available(dossier, actor):
        if _is_offered(dossier, transition.name, moment):
            found.append(
                AvailableAction(
                    transition.name,
                    str(transition.label),
                    transition.style,
                    _ACTION_OF[transition.name],
                )
            )
    for rule in EXTRA_ACTIONS.values():
        check = at_receiving_desk if rule.desk else at_current_agency
        if (
            dossier.state in rule.states
            and actor.has_role(*rule.roles)
            and (actor.is_system or check(dossier, actor))
            and _is_offered(dossier, rule.name, moment)
        ):
            found.append(
                AvailableAction(rule.name, str(rule.label), rule.style, _ACTION_OF[rule.name])
            )
    return found


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    action: str
    label: str
    state: str
    national_status: int | None
    actor_name: str
    data: dict[str, Any] = field(default_factory=dict)


_EVENT_LABELS: dict[str, Any] = {
    "submit": _("Nộp hồ sơ"),
    "digitise_document": _("Số hóa thành phần hồ sơ"),
    "mark_document_exempt": _("Ghi nhận thành phần không phải số hóa"),
    "issue_apology": _("Xin lỗi và hẹn lại ngày trả kết quả"),
    "record_payment": _("Xác nhận đã nộp phí, lệ phí"),
    "deadline_warning": _("Cảnh báo sắp đến hạn"),
}


def list_history(dossier: Dossier) -> list[HistoryEntry]:
    """Return every recorded event of ``dossier`` in order (from the audit log)."""
    entries = []
    for event in list_events_for(_AGGREGATE, dossier.pk):
        name = event.action.rsplit(".", 1)[-1]
        try:
            label = str(DOSSIER_MACHINE.get(name).label)
        except Exception:  # not a transition: a recorded event
            label = str(_EVENT_LABELS.get(name, name))
        data = event.data or {}
        entries.append(
            HistoryEntry(
                at=event.occurred_at,
                action=name,
                label=label,
                state=str(data.get("to", "")),
                national_status=data.get("national_status"),
                actor_name=event.actor_name,
                data=data,
            )
        )
    return entries


@dataclass(frozen=True)
class TrackingView:
    """What the public tracking page shows: no personal data beyond a masked name."""

    code: str
    procedure_name: str
    state_label: str
    national_status: int
    national_status_label: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    returned_at: dt.datetime | None
    history: list[tuple[dt.datetime, str]]


def _digits(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def _verifier_matches(dossier: Dossier, verifier: str) -> bool:
    given = _digits(verifier)
    if not given:
        return False
    phone = _digits(dossier.applicant_phone)
    if len(given) >= 9 and phone and hmac.compare_digest(given, phone):
        return True
    last4 = dossier.applicant_id_number[-4:]
    return len(given) == 4 and len(last4) == 4 and hmac.compare_digest(given, last4)


_PUBLIC_EVENTS = frozenset({"submit", "issue_apology"})


def find_dossier_for_tracking(code: str, verifier: str) -> TrackingView:
    """Return the public view of dossier ``code`` if ``verifier`` matches the applicant.

    ``verifier``: the applicant's phone number, or the last four digits of their
    identification number. Raise ``dossier.not_found`` for an unknown code and for a
    wrong verifier alike.
    """
    dossier = (
        Dossier.objects.select_related("procedure_version")
        .filter(code=(code or "").strip())
        .first()
    )
    if dossier is None or not _verifier_matches(dossier, verifier):
        raise DossierNotFound()
    history = [
        (entry.at, entry.label)
        for entry in list_history(dossier)
        if entry.state or entry.action in _PUBLIC_EVENTS
    ]
    return TrackingView(
        code=dossier.code or "",
        procedure_name=dossier.procedure_version.name,
        state_label=str(dossier.get_state_display()),
        national_status=dossier.national_status,
        national_status_label=str(dossier.get_national_status_display()),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        returned_at=dossier.returned_at,
        history=history,
    )


def list_dossiers_needing_warning(
    *, at: dt.datetime | None = None, working_days: int | None = None
) -> QuerySet[Dossier]:
    """Return the dossiers in processing due within ``working_days`` working days (setting
    ``DOSSIER_WARN_WORKING_DAYS``, default 1), not overdue, without an apology, not warned."""
    moment = at or clock.now()
    days = (
        working_days
        if working_days is not None
        else int(getattr(settings, "DOSSIER_WARN_WORKING_DAYS", 1))
    )
    threshold = deadlines.warning_threshold(moment, days, deadlines.schedule_of(None))
    return Dossier.objects.filter(
        state__in=PROCESSING_STATES - {S.SUPPLEMENT_REQUESTED},
        is_extended=False,
        deadline_warned_at__isnull=True,
        due_at__gte=moment,
        due_at__lte=threshold,
    ).order_by("due_at", "pk")
