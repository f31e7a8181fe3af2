"""The dossier lifecycle as data: internal states, national status codes, transitions.

Internal states carry the work's detail (transferred, under review, awaiting signature…);
each maps to one national status code 1–10 (one-stop rules §4.2/§4.3), stored in
``Dossier.national_status`` in the same compare-and-set as the state so that lists filter
on it. Every national move the machine can make is one the rules allow
(``ALLOWED_NATIONAL_MOVES``; checked by the tests).

Who may act: each transition names its roles and a scope — the receiving desk for the
desk's steps (receipt, transfer, supplements, return, withdrawal) or the agency that holds
the dossier now (``current_agency``) for processing steps. ``list_available_actions``
(selectors) reads this; templates never decide.

The actions choose between transitions that share a source where the law branches:
``sign_result`` when the result can be released, ``sign_result_pending_payment`` when
fees must be paid first (status 6); ``record_payment`` back to processing,
``record_payment_release`` to "result ready".

The applicant's own transitions (``resubmit_online``, ``supplement_online``,
``withdraw_online``) need no role: only the citizen account that filed the dossier
online may take them (``is_applicant``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.enums import NationalStatus
from motcua.identity.roles import Role
from motcua.kernel.actors import Actor, ActorKind
from motcua.workflow.machine import StateMachine, Transition
from motcua.workflow.registry import register

__all__ = [
    "ALLOWED_NATIONAL_MOVES",
    "APPLICANT_TRANSITIONS",
    "DESK_ROLES",
    "DESK_SCOPED_TRANSITIONS",
    "DOSSIER_MACHINE",
    "EXTRA_ACTIONS",
    "FINISHED_STATES",
    "NATIONAL_STATUS",
    "PROCESSING_STATES",
    "RECEIVED_STATES",
    "TERMINAL_STATES",
    "DossierState",
    "ExtraAction",
    "is_applicant",
    "national_status_of",
]


class DossierState(models.TextChoices):
    SUBMITTED = "submitted", _("Mới đăng ký, chờ tiếp nhận")
    RECEPTION_SUPPLEMENT = "reception_supplement", _("Chờ bổ sung để tiếp nhận")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    RECEIVED = "received", _("Mới tiếp nhận")
    TRANSFERRED = "transferred", _("Đã chuyển, chờ phân công")
    IN_PROCESS = "in_process", _("Đang xử lý")
    UNDER_REVIEW = "under_review", _("Chờ lãnh đạo xem xét")
    AWAITING_SIGNATURE = "awaiting_signature", _("Chờ ký duyệt")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Chờ bổ sung")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    RESULT_AWAITING_PAYMENT = "result_awaiting_payment", _("Có kết quả, chờ nộp phí, lệ phí")
    RESULT_READY = "result_ready", _("Chờ trả kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")


S = DossierState

NATIONAL_STATUS: dict[str, int] = {
    S.SUBMITTED: NationalStatus.SUBMITTED,
    # An online dossier incomplete before reception has no national status of its own (§4.2).
    S.RECEPTION_SUPPLEMENT: NationalStatus.SUBMITTED,
    S.REFUSED: NationalStatus.NOT_RECEIVED,
    S.RECEIVED: NationalStatus.RECEIVED,
    S.TRANSFERRED: NationalStatus.PROCESSING,
    S.IN_PROCESS: NationalStatus.PROCESSING,
    S.UNDER_REVIEW: NationalStatus.PROCESSING,
    S.AWAITING_SIGNATURE: NationalStatus.PROCESSING,
    S.SUPPLEMENT_REQUESTED: NationalStatus.SUPPLEMENT_REQUESTED,
    S.AWAITING_PAYMENT: NationalStatus.FINANCIAL_OBLIGATION,
    S.RESULT_AWAITING_PAYMENT: NationalStatus.FINANCIAL_OBLIGATION,
    S.RESULT_READY: NationalStatus.FINISHED,
    S.RETURNED: NationalStatus.RETURNED,
    S.WITHDRAWN: NationalStatus.WITHDRAWN,
    S.STOPPED: NationalStatus.STOPPED,
}

# §4.2 "Allowed transitions" (a move within one status, e.g. 4 → 4, is always allowed).
ALLOWED_NATIONAL_MOVES: frozenset[tuple[int, int]] = frozenset(
    {
        (1, 2), (1, 3), (1, 7),
        (2, 4), (2, 5), (2, 6), (2, 7), (2, 8),
        (4, 5), (4, 6), (4, 8), (4, 9), (4, 7),
        (5, 4), (5, 8), (5, 7),
        (6, 4), (6, 9), (6, 10),
        (9, 10),
    }
)  # fmt: skip

TERMINAL_STATES = frozenset({S.REFUSED, S.WITHDRAWN, S.STOPPED, S.RETURNED})
# States in which the competent agencies work on the dossier (the clock runs, except in 5).
PROCESSING_STATES = frozenset(
    {
        S.TRANSFERRED,
        S.IN_PROCESS,
        S.UNDER_REVIEW,
        S.AWAITING_SIGNATURE,
        S.SUPPLEMENT_REQUESTED,
        S.AWAITING_PAYMENT,
    }
)
# States in which a dossier always has a code and a due date (a withdrawn one may not).
RECEIVED_STATES = frozenset(
    {S.RECEIVED, *PROCESSING_STATES, S.RESULT_AWAITING_PAYMENT, S.RESULT_READY, S.RETURNED}
    | {S.STOPPED}
)
# Processing has ended (the result exists, or the dossier left the process).
FINISHED_STATES = frozenset({S.RESULT_AWAITING_PAYMENT, S.RESULT_READY, *TERMINAL_STATES})

DESK_ROLES = frozenset({Role.DESK_OFFICER, Role.POSTAL_AGENT, Role.CONTRACT_STAFF})
_DESK_DECIDES = frozenset({Role.DESK_OFFICER})
_LEADERS = frozenset({Role.REVIEWER, Role.SIGNER})


def national_status_of(state: str) -> int:
    """Return the national status code (1–10) of an internal state."""
    return int(NATIONAL_STATUS[state])


def at_receiving_desk(dossier: Any, actor: Actor) -> bool:
    """Return whether ``actor`` works at the desk that received ``dossier``."""
    return actor.is_superuser or (
        actor.agency_id is not None and actor.agency_id == dossier.receiving_desk_id
    )


def at_current_agency(dossier: Any, actor: Actor) -> bool:
    """Return whether ``actor`` works at the agency that holds ``dossier`` now."""
    return actor.is_superuser or (
        actor.agency_id is not None and actor.agency_id == dossier.current_agency_id
    )


def is_applicant(dossier: Any, actor: Actor) -> bool:
    """Return whether ``actor`` is the citizen account that filed ``dossier`` online."""
    return (
        actor.kind is ActorKind.CITIZEN
        and actor.user_id is not None
        and actor.user_id == dossier.applicant_user_id
    )


def _t(
    name: str,
    source: Iterable[str],
    target: str,
    label: Any,
    roles: frozenset[str],
    *,
    desk: bool,
    style: str = "primary",
    is_system: bool = False,
) -> Transition:
    return Transition(
        name,
        frozenset(source),
        target,
        label,
        roles=frozenset(str(role) for role in roles),
        authorize=at_receiving_desk if desk else at_current_agency,
        style=style,
        is_system=is_system,
    )


_WITHDRAWABLE = {
    S.SUBMITTED,
    S.RECEPTION_SUPPLEMENT,
    S.RECEIVED,
    S.TRANSFERRED,
    S.IN_PROCESS,
    S.UNDER_REVIEW,
    S.AWAITING_SIGNATURE,
    S.SUPPLEMENT_REQUESTED,
}
_STOPPABLE = {
    S.TRANSFERRED,
    S.IN_PROCESS,
    S.UNDER_REVIEW,
    S.AWAITING_SIGNATURE,
    S.SUPPLEMENT_REQUESTED,
}

TRANSITIONS = [
    # Reception at the desk (Form 01 / 02 / 03).
    _t("receive", {S.SUBMITTED}, S.RECEIVED, _("Tiếp nhận hồ sơ"), DESK_ROLES, desk=True),
    _t(
        "request_reception_supplement",
        {S.SUBMITTED},
        S.RECEPTION_SUPPLEMENT,
        _("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
        DESK_ROLES,
        desk=True,
        style="warning",
    ),
    _t(
        "resubmit",
        {S.RECEPTION_SUPPLEMENT},
        S.SUBMITTED,
        _("Nhận hồ sơ đã bổ sung để kiểm tra lại"),
        DESK_ROLES,
        desk=True,
    ),
    _t(
        "refuse",
        {S.SUBMITTED, S.RECEPTION_SUPPLEMENT},
        S.REFUSED,
        _("Từ chối tiếp nhận"),
        _DESK_DECIDES,
        desk=True,
        style="danger",
    ),
    _t(
        "transfer",
        {S.RECEIVED},
        S.TRANSFERRED,
        _("Chuyển hồ sơ đến cơ quan giải quyết"),
        DESK_ROLES,
        desk=True,
    ),
    # Processing inside an agency.
    _t(
        "assign",
        {S.TRANSFERRED},
        S.IN_PROCESS,
        _("Phân công xử lý"),
        _LEADERS | {Role.HANDLER},
        desk=False,
    ),
    _t(
        "submit_for_review",
        {S.IN_PROCESS},
        S.UNDER_REVIEW,
        _("Trình lãnh đạo xem xét"),
        frozenset({Role.HANDLER}),
        desk=False,
    ),
    _t(
        "approve",
        {S.UNDER_REVIEW},
        S.AWAITING_SIGNATURE,
        _("Đồng ý, trình ký"),
        frozenset({Role.REVIEWER}),
        desk=False,
    ),
    _t(
        "send_back",
        {S.UNDER_REVIEW, S.AWAITING_SIGNATURE},
        S.IN_PROCESS,
        _("Trả lại để xử lý lại"),
        _LEADERS,
        desk=False,
        style="secondary",
    ),
    _t(
        "sign_result",
        {S.AWAITING_SIGNATURE},
        S.RESULT_READY,
        _("Ký duyệt kết quả"),
        frozenset({Role.SIGNER}),
        desk=False,
        style="success",
    ),
    _t(
        "sign_result_pending_payment",
        {S.AWAITING_SIGNATURE},
        S.RESULT_AWAITING_PAYMENT,
        _("Ký duyệt kết quả, chờ nộp phí, lệ phí"),
        frozenset({Role.SIGNER}),
        desk=False,
        style="success",
        is_system=True,  # chosen by do_sign_result when fees are outstanding
    ),
    _t(
        "forward_to_next_agency",
        {S.AWAITING_SIGNATURE},
        S.TRANSFERRED,
        _("Chuyển cơ quan giải quyết tiếp theo (liên thông)"),
        frozenset({Role.SIGNER}),
        desk=False,
    ),
    _t(
        "request_supplement",
        {S.IN_PROCESS, S.UNDER_REVIEW, S.AWAITING_SIGNATURE},
        S.SUPPLEMENT_REQUESTED,
        _("Yêu cầu bổ sung hồ sơ"),
        _LEADERS | {Role.HANDLER},
        desk=False,
        style="warning",
    ),
    _t(
        "receive_supplement",
        {S.SUPPLEMENT_REQUESTED},
        S.IN_PROCESS,
        _("Tiếp nhận hồ sơ bổ sung"),
        DESK_ROLES,
        desk=True,
    ),
    _t(
        "request_payment",
        {S.IN_PROCESS, S.UNDER_REVIEW},
        S.AWAITING_PAYMENT,
        _("Yêu cầu thực hiện nghĩa vụ tài chính"),
        _LEADERS | {Role.HANDLER},
        desk=False,
        style="warning",
    ),
    _t(
        "record_payment",
        {S.AWAITING_PAYMENT},
        S.IN_PROCESS,
        _("Xác nhận đã nộp phí, lệ phí"),
        DESK_ROLES,
        desk=True,
    ),
    _t(
        "record_payment_release",
        {S.RESULT_AWAITING_PAYMENT},
        S.RESULT_READY,
        _("Xác nhận đã nộp phí, lệ phí"),
        DESK_ROLES,
        desk=True,
    ),
    # Ends without a result.
    _t(
        "stop",
        _STOPPABLE,
        S.STOPPED,
        _("Dừng giải quyết hồ sơ"),
        frozenset({Role.SIGNER}),
        desk=False,
        style="danger",
    ),
    _t(
        "withdraw",
        _WITHDRAWABLE,
        S.WITHDRAWN,
        _("Rút hồ sơ theo yêu cầu của người nộp"),
        DESK_ROLES,
        desk=True,
        style="danger",
    ),
    # The applicant, online (the citizen portal): answer a supplement request, withdraw.
    Transition(
        "resubmit_online",
        frozenset({S.RECEPTION_SUPPLEMENT}),
        S.SUBMITTED,
        _("Nộp hồ sơ đã bổ sung"),
        authorize=is_applicant,
    ),
    Transition(
        "supplement_online",
        frozenset({S.SUPPLEMENT_REQUESTED}),
        S.IN_PROCESS,
        _("Nộp giấy tờ bổ sung"),
        authorize=is_applicant,
    ),
    Transition(
        "withdraw_online",
        frozenset(_WITHDRAWABLE),
        S.WITHDRAWN,
        _("Rút hồ sơ"),
        authorize=is_applicant,
        style="danger",
    ),
    # Return.
    _t(
        "return_result",
        {S.RESULT_READY},
        S.RETURNED,
        _("Trả kết quả"),
        DESK_ROLES,
        desk=True,
        style="success",
    ),
]

DESK_SCOPED_TRANSITIONS = frozenset(t.name for t in TRANSITIONS if t.authorize is at_receiving_desk)
APPLICANT_TRANSITIONS = frozenset(t.name for t in TRANSITIONS if t.authorize is is_applicant)

DOSSIER_MACHINE = register(
    StateMachine(
        name="dossiers.dossier",
        model_label="dossiers.Dossier",
        field="state",
        states=list(DossierState.choices),
        transitions=TRANSITIONS,
        initial=S.SUBMITTED,
        terminal=TERMINAL_STATES,
    )
)


@dataclass(frozen=True)
class ExtraAction:
    """An action that changes no state but has the same kind of permission as a transition."""

    name: str
    states: frozenset[str]
    roles: frozenset[str]
    desk: bool
    label: Any
    style: str = "secondary"


_AT_DESK_BEFORE_TRANSFER = frozenset({S.SUBMITTED, S.RECEPTION_SUPPLEMENT, S.RECEIVED})

EXTRA_ACTIONS: dict[str, ExtraAction] = {
    action.name: action
    for action in (
        ExtraAction(
            "digitise_document",
            _AT_DESK_BEFORE_TRANSFER,
            frozenset(str(r) for r in DESK_ROLES),
            True,
            _("Số hóa thành phần hồ sơ"),
        ),
        ExtraAction(
            "mark_document_exempt",
            _AT_DESK_BEFORE_TRANSFER,
            frozenset(str(r) for r in DESK_ROLES),
            True,
            _("Ghi nhận thành phần không phải số hóa"),
        ),
        ExtraAction(
            "issue_apology",
            PROCESSING_STATES,
            frozenset(str(r) for r in _LEADERS),
            False,
            _("Xin lỗi và hẹn lại ngày trả kết quả"),
            style="warning",
        ),
        ExtraAction(
            "record_payment_at_collection",
            frozenset({S.RESULT_READY}),
            frozenset(str(r) for r in DESK_ROLES),
            True,
            _("Thu phí, lệ phí khi trả kết quả"),
        ),
    )
}
