"""Processing: transfer to the agencies, assignment, review, signature, inter-agency
forwarding, supplement requests (the clock pause) and the financial obligation.

Every hand-over between agencies appends a row to the process control slip with the
receiving agency's time share and closes the previous row with its timeliness (R31).
A supplement request during processing is routed through the one-stop desk (Form 02 is
issued in the desk's name), allowed once per agency (R33), and pauses the clock; the
supplement moves ``due_at`` by exactly the paused working time (R32).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.selectors import get_version_parts
from motcua.documents.forms import FormKind
from motcua.dossiers import deadlines, paperwork
from motcua.dossiers.actions._common import (
    add_handover,
    check_extra_action,
    check_supplement_items,
    check_transition,
    close_open_handover,
    increment,
    lock,
    move,
    record_event,
    require_text,
    supplement_items_json,
)
from motcua.dossiers.actions.inputs import SupplementItem
from motcua.dossiers.enums import HandoverKind
from motcua.dossiers.errors import (
    AssigneeNotHandler,
    DigitisationRequired,
    NoFees,
    NoNextAgency,
    NotAssignee,
    NotLastAgency,
    SupplementAlreadyRequested,
)
from motcua.dossiers.models import Dossier, HandoverEntry, SupplementRequest, SupplementStage
from motcua.dossiers.states import DossierState
from motcua.identity.roles import Role
from motcua.identity.selectors import get_actor_by_user_id
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import PermissionDenied
from motcua.workflow.errors import WrongState

__all__ = [
    "do_approve_dossier",
    "do_assign_dossier",
    "do_forward_to_next_agency",
    "do_receive_supplement",
    "do_record_payment",
    "do_request_payment",
    "do_request_supplement",
    "do_send_back_dossier",
    "do_sign_result",
    "do_submit_for_review",
    "do_transfer_dossier",
    "resume_after_supplement",
]


def _hand_over(
    dossier: Dossier,
    *,
    kind: HandoverKind,
    from_agency: Agency,
    to_agency: Agency,
    actor: Actor,
    at: dt.datetime,
    share_us: int,
) -> None:
    close_open_handover(dossier, at=at)
    schedule = deadlines.schedule_of(dossier.receiving_desk)
    allotted = dt.timedelta(microseconds=share_us)
    add_handover(
        dossier,
        kind=kind,
        from_agency=from_agency,
        to_agency=to_agency,
        from_official=actor.display_name,
        handed_at=at,
        allotted=allotted,
        due_at=deadlines.step_due_at(at, allotted, schedule),
    )


def _agency_of(dossier: Dossier, leg: dict[str, Any]) -> Agency:
    """Return the agency of route ``leg``: the competent agency, or the agency a step of
    the version names (``get_version_parts``), as the route was built; read otherwise."""
    agency_id = leg["agency_id"]
    if dossier.competent_agency_id == agency_id:
        return dossier.competent_agency
    for step in get_version_parts(dossier.procedure_version).steps_of(dossier.case):
        if step.agency is not None and step.agency.pk == agency_id:
            return step.agency
    return Agency.objects.get(pk=agency_id)


def do_transfer_dossier(dossier: Dossier, *, actor: Actor) -> Dossier:
    """Send a received dossier from the desk to the first agency of its route.

    Raise ``dossier.digitisation_required`` naming every provided paper document that is
    neither digitised nor exempt (R41); ``wrong_state`` unless ``RECEIVED``.
    """
    check_transition(dossier, actor, "transfer")
    pending = [d for d in dossier.documents.all() if d.needs_digitisation]
    if pending:
        raise DigitisationRequired(
            params={"documents": "; ".join(d.name for d in pending)},
            field_errors={f"documents.{d.pk}": [d.name] for d in pending},
        )
    leg = dossier.route[0]
    agency = _agency_of(dossier, leg)
    with transaction.atomic():
        now = clock.now()
        desk = dossier.receiving_desk
        move(
            dossier,
            "transfer",
            actor=actor,
            updates={"current_agency": agency, "route_position": 0, "assignee": None},
            data={"to_agency": agency.code},
        )
        _hand_over(
            dossier,
            kind=HandoverKind.TRANSFER,
            from_agency=desk,
            to_agency=agency,
            actor=actor,
            at=now,
            share_us=leg["share_us"],
        )
    return dossier


def do_assign_dossier(dossier: Dossier, *, actor: Actor, assignee_id: int) -> Dossier:
    """Give the dossier to a processing officer (HANDLER) of the agency holding it.

    Leaders (REVIEWER, SIGNER) assign anyone of their agency; a HANDLER may only take the
    dossier for themself. Raise ``dossier.assignee_not_handler`` when the assignee is
    not an active HANDLER of ``current_agency``.
    """
    check_transition(dossier, actor, "assign")
    if not actor.has_role(Role.REVIEWER, Role.SIGNER) and assignee_id != actor.user_id:
        raise PermissionDenied(
            code="dossier.assign_self_only",
            message=_("Chuyên viên chỉ có thể tự nhận hồ sơ để thụ lý."),
        )
    assignee = get_actor_by_user_id(assignee_id)
    if not (
        assignee.is_official
        and assignee.agency_id == dossier.current_agency_id
        and Role.HANDLER in assignee.roles
    ):
        raise AssigneeNotHandler(field_errors={"assignee_id": [AssigneeNotHandler.default_message]})
    with transaction.atomic():
        move(
            dossier,
            "assign",
            actor=actor,
            updates={"assignee_id": assignee_id},
            data={"assignee": assignee.ref},
        )
        HandoverEntry.objects.filter(dossier=dossier, done_at__isnull=True).update(
            to_official=assignee.display_name
        )
    return dossier


def _check_assignee(dossier: Dossier, actor: Actor) -> None:
    if actor.is_system or actor.is_superuser:
        return
    if dossier.assignee_id is None or dossier.assignee_id != actor.user_id:
        raise NotAssignee()


def do_submit_for_review(dossier: Dossier, *, actor: Actor, note: str = "") -> Dossier:
    """Send the drafted result to the reviewer; only the assigned officer may."""
    check_transition(dossier, actor, "submit_for_review")
    _check_assignee(dossier, actor)
    with transaction.atomic():
        move(dossier, "submit_for_review", actor=actor, data={"note": note.strip()})
    return dossier


def do_approve_dossier(dossier: Dossier, *, actor: Actor, note: str = "") -> Dossier:
    """Approve the draft (REVIEWER) and send it for signature."""
    check_transition(dossier, actor, "approve")
    with transaction.atomic():
        move(dossier, "approve", actor=actor, data={"note": note.strip()})
    return dossier


def do_send_back_dossier(dossier: Dossier, *, actor: Actor, reason: str) -> Dossier:
    """Return the draft to the officer for rework, with the reason (REVIEWER or SIGNER)."""
    check_transition(dossier, actor, "send_back")
    text = require_text(reason)
    with transaction.atomic():
        move(dossier, "send_back", actor=actor, data={"reason": text})
    return dossier


def do_sign_result(dossier: Dossier, *, actor: Actor) -> Dossier:
    """Sign the result (SIGNER of the last agency): signed PDF ``<code>-KQ<n>``, status 9.

    When fees are due and the procedure does not allow paying at collection, the
    dossier waits in ``RESULT_AWAITING_PAYMENT`` (status 6) until ``do_record_payment``.
    Raise ``dossier.not_last_agency`` while an inter-agency dossier still has agencies
    to go through (use ``do_forward_to_next_agency``).
    """
    pending_payment = dossier.has_outstanding_fees and not dossier.is_payment_at_collection
    name = "sign_result_pending_payment" if pending_payment else "sign_result"
    check_transition(dossier, actor, name)
    next_leg = dossier.next_leg
    if next_leg is not None:
        raise NotLastAgency(params={"agency": next_leg["agency_name"]})
    with transaction.atomic():
        now = clock.now()
        agency = dossier.current_agency
        number = dossier.results_issued + 1
        code = f"{dossier.code}-KQ{number}"
        move(
            dossier,
            name,
            actor=actor,
            updates={
                "finished_at": now,
                "current_agency": dossier.receiving_desk,
                "results_issued": number,
            },
            data={"result_code": code, "finished_at": now},
        )
        result = paperwork.issue_result(dossier, actor=actor, agency=agency, number=number)
        if dossier.supplement_count:
            # Files uploaded for a supplement during processing; the others were kept
            # at receipt.
            paperwork.keep_accepted_uploads(dossier, actor=actor)
        Dossier.objects.filter(pk=dossier.pk).update(result=result)
        dossier.result = result
        close_open_handover(dossier, at=now)
        add_handover(
            dossier,
            kind=HandoverKind.RESULT,
            from_agency=agency,
            to_agency=dossier.receiving_desk,
            from_official=actor.display_name,
            handed_at=now,
            due_at=dossier.due_at,
        )
    return dossier


def do_forward_to_next_agency(dossier: Dossier, *, actor: Actor) -> Dossier:
    """Pass an inter-agency dossier, with this agency's output, to the next agency (R51).

    Raise ``dossier.no_next_agency`` at the last agency (sign the result instead).
    """
    check_transition(dossier, actor, "forward_to_next_agency")
    next_leg = dossier.next_leg
    if next_leg is None:
        raise NoNextAgency()
    agency = _agency_of(dossier, next_leg)
    with transaction.atomic():
        now = clock.now()
        previous = dossier.current_agency
        move(
            dossier,
            "forward_to_next_agency",
            actor=actor,
            updates={
                "current_agency": agency,
                "route_position": dossier.route_position + 1,
                "assignee": None,
            },
            data={"from_agency": previous.code, "to_agency": agency.code},
        )
        _hand_over(
            dossier,
            kind=HandoverKind.FORWARD,
            from_agency=previous,
            to_agency=agency,
            actor=actor,
            at=now,
            share_us=next_leg["share_us"],
        )
    return dossier


def do_request_supplement(
    dossier: Dossier, *, actor: Actor, items: Sequence[SupplementItem]
) -> SupplementRequest:
    """Ask the applicant, through the desk, for everything still needed: pauses the clock.

    All items in this one request, each with its reason. Raise
    ``dossier.supplement_already_requested`` when the agency holding the dossier already
    asked once (R33); ``dossier.empty_supplement_request`` for no item or no reason.
    """
    check_transition(dossier, actor, "request_supplement")
    form_items = check_supplement_items(dossier, items)
    agency = dossier.current_agency
    already = SupplementRequest.objects.filter(
        dossier=dossier, stage=SupplementStage.PROCESSING, agency=agency
    ).exists()
    if already:
        raise SupplementAlreadyRequested(params={"agency": agency.name})
    with transaction.atomic():
        now = clock.now()
        try:
            with transaction.atomic():
                request = SupplementRequest.objects.create(
                    dossier=dossier,
                    stage=SupplementStage.PROCESSING,
                    agency=agency,
                    items=supplement_items_json(items),
                    requested_at=now,
                    requested_by=actor.display_name or actor.ref,
                )
        except IntegrityError:
            raise SupplementAlreadyRequested(params={"agency": agency.name}) from None
        move(
            dossier,
            "request_supplement",
            actor=actor,
            updates={"supplement_count": increment("supplement_count")},
            data={
                "supplement_request": request.pk,
                "agency": agency.code,
                "items": len(form_items),
            },
        )
        dossier.refresh_from_db(fields=["supplement_count"])
        form = paperwork.issue_form(
            FormKind.SUPPLEMENT_REQUEST,
            dossier,
            issuer=dossier.receiving_desk,
            actor=actor,
            at=now,
            items=form_items,
        )
        if form is not None:
            SupplementRequest.objects.filter(pk=request.pk).update(form=form)
            request.form = form
    return request


def do_receive_supplement(dossier: Dossier, *, actor: Actor, note: str = "") -> Dossier:
    """Record the applicant's supplement at the desk: the clock resumes.

    ``due_at`` moves later by exactly the working time between the request and now;
    ``original_due_at`` stays. The dossier returns to the requesting agency's officer.
    """
    check_transition(dossier, actor, "receive_supplement")
    request = (
        SupplementRequest.objects.filter(
            dossier=dossier, stage=SupplementStage.PROCESSING, fulfilled_at__isnull=True
        )
        .order_by("-requested_at")
        .first()
    )
    if request is None or dossier.due_at is None:
        raise WrongState(params={"state": dossier.get_state_display()})
    with transaction.atomic():
        resume_after_supplement(dossier, request, "receive_supplement", actor=actor, note=note)
    return dossier


def resume_after_supplement(
    dossier: Dossier,
    request: SupplementRequest,
    name: str,
    *,
    actor: Actor,
    note: str = "",
    data: dict[str, object] | None = None,
    request_updates: dict[str, object] | None = None,
) -> None:
    """Take transition ``name`` back to processing and restart the clock (R32).

    ``due_at`` moves later by the working time between the request and now; the request
    is marked fulfilled with that pause. Runs inside the caller's transaction.
    """
    assert dossier.due_at is not None  # a dossier in processing has one
    now = clock.now()
    schedule = deadlines.schedule_of(dossier.receiving_desk)
    paused = deadlines.working_time_between(request.requested_at, now, schedule)
    previous_due = dossier.due_at
    new_due = deadlines.move_due_at(previous_due, paused, schedule)
    move(
        dossier,
        name,
        actor=actor,
        updates={
            "due_at": new_due,
            "paused_working_time": F("paused_working_time") + paused,
        },
        data={
            "supplement_request": request.pk,
            "paused_seconds": int(paused.total_seconds()),
            "previous_due_at": previous_due,
            "due_at": new_due,
            "note": note.strip(),
            **(data or {}),
        },
    )
    SupplementRequest.objects.filter(pk=request.pk).update(
        fulfilled_at=now, paused_working_time=paused, **(request_updates or {})
    )
    dossier.refresh_from_db(fields=["paused_working_time"])


def do_request_payment(dossier: Dossier, *, actor: Actor) -> Dossier:
    """Ask for the fees of the procedure version (status 6) before processing goes on.

    Raise ``dossier.no_fees`` for a procedure without fees.
    """
    check_transition(dossier, actor, "request_payment")
    if dossier.fee_total <= 0:
        raise NoFees()
    with transaction.atomic():
        move(
            dossier,
            "request_payment",
            actor=actor,
            data={"fees": dossier.fees, "fee_total": dossier.fee_total},
        )
    return dossier


def do_record_payment(dossier: Dossier, *, actor: Actor, reference: str = "") -> Dossier:
    """Record that the fees were paid (at the desk, or on the payment platform's callback).

    ``AWAITING_PAYMENT`` goes back to processing; ``RESULT_AWAITING_PAYMENT`` releases
    the result (status 9); a ready result paid at collection only records the payment.
    """
    reference = reference.strip()
    state = dossier.state
    if state == DossierState.RESULT_READY and dossier.has_outstanding_fees:
        with transaction.atomic():
            locked = lock(dossier)
            check_extra_action(locked, actor, "record_payment_at_collection")
            now = clock.now()
            Dossier.objects.filter(pk=locked.pk, paid_at__isnull=True).update(
                paid_at=now, payment_reference=reference
            )
            record_event(
                locked,
                "record_payment",
                actor=actor,
                data={"fee_total": locked.fee_total, "reference": reference},
            )
            dossier.paid_at, dossier.payment_reference = now, reference
        return dossier
    name = (
        "record_payment_release"
        if state == DossierState.RESULT_AWAITING_PAYMENT
        else "record_payment"
    )
    check_transition(dossier, actor, name)
    with transaction.atomic():
        move(
            dossier,
            name,
            actor=actor,
            updates={"paid_at": clock.now(), "payment_reference": reference},
            data={"fee_total": dossier.fee_total, "reference": reference},
        )
    return dossier
