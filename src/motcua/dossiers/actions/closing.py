"""The end of a dossier: return of the result, stop, withdrawal; and the late dossier's
apology with its one new date (Form 04), and the warnings before the deadline.

The apology is not a state change (the dossier stays in processing, §4.3): it locks the
dossier row, checks once-only (``Extension`` is one-to-one) and before-the-deadline,
and moves ``due_at`` to the new date; ``original_due_at`` keeps the first date for the
statistics (R39).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua import workdays
from motcua.documents.forms import FormItem, FormKind
from motcua.dossiers import paperwork
from motcua.dossiers.actions._common import (
    check_extra_action,
    check_transition,
    close_open_handover,
    lock,
    move,
    record_event,
    require_text,
)
from motcua.dossiers.errors import (
    ExtensionAfterDeadline,
    ExtensionAlreadyIssued,
    ExtensionNotLater,
    PaymentOutstanding,
    WithdrawalAfterResult,
)
from motcua.dossiers.models import Dossier, Extension, StopNotice
from motcua.dossiers.paperwork import format_vnd
from motcua.dossiers.states import DossierState
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import InvalidInput

__all__ = [
    "do_issue_apology",
    "do_record_deadline_warnings",
    "do_return_result",
    "do_stop_processing",
    "do_withdraw_dossier",
    "warning_working_days",
]

_RESULT_STATES = frozenset(
    {DossierState.RESULT_AWAITING_PAYMENT, DossierState.RESULT_READY, DossierState.RETURNED}
)


def do_return_result(
    dossier: Dossier, *, actor: Actor, note: str = "", payment_reference: str | None = None
) -> Dossier:
    """Hand the result to the applicant by the chosen channel: status 10.

    ``note`` records the hand-over record or the postal consignment number. When the
    procedure lets the applicant pay at collection and the fees are unpaid, pass
    ``payment_reference`` (the receipt) to record the payment in the same transaction;
    otherwise ``dossier.payment_outstanding``.
    """
    check_transition(dossier, actor, "return_result")
    outstanding = dossier.has_outstanding_fees
    if outstanding and payment_reference is None:
        raise PaymentOutstanding(params={"amount": format_vnd(dossier.fee_total)})
    with transaction.atomic():
        now = clock.now()
        updates: dict[str, object] = {"returned_at": now, "delivery_note": note.strip()}
        if outstanding:
            updates |= {"paid_at": now, "payment_reference": (payment_reference or "").strip()}
        move(
            dossier,
            "return_result",
            actor=actor,
            updates=updates,
            data={"returned_at": now, "channel": dossier.return_channel, "paid": outstanding},
        )
        close_open_handover(dossier, at=now, note=note.strip())
    return dossier


def do_stop_processing(
    dossier: Dossier, *, actor: Actor, reason: str, legal_basis: str = ""
) -> StopNotice:
    """Stop processing an ineligible dossier (status 8) with its written reason (Form 05).

    Only the SIGNER of the agency holding the dossier; raise ``dossier.missing_reason``
    without a reason (R52). Under Circular 01/2018 no Form 05 exists: the notice is kept
    without a form.
    """
    check_transition(dossier, actor, "stop")
    text = require_text(reason)
    with transaction.atomic():
        now = clock.now()
        agency = dossier.current_agency
        notice = StopNotice.objects.create(
            dossier=dossier,
            agency=agency,
            reason=text,
            legal_basis=legal_basis.strip(),
            stopped_at=now,
            stopped_by=actor.display_name or actor.ref,
        )
        move(
            dossier,
            "stop",
            actor=actor,
            updates={"finished_at": now},
            data={"reason": text, "agency": agency.code},
        )
        close_open_handover(dossier, at=now, note=text)
        form = (
            paperwork.issue_form(
                FormKind.STOP_NOTICE,
                dossier,
                issuer=agency,
                actor=actor,
                at=now,
                reason=text,
                legal_basis=legal_basis.strip(),
                items=(FormItem(text=text),),
            )
            if form_05_on("stop")
            else None
        )
        if form is not None:
            StopNotice.objects.filter(pk=notice.pk).update(form=form)
            notice.form = form
    return notice


def form_05_on(event: str) -> bool:
    """Return whether Form 05 is issued on ``event`` ("stop" or "withdrawal").

    Its trigger is disputed (domain rules §4.3): ``DOSSIER_FORM_05_ON`` chooses "stop"
    (the default), "withdrawal" or "both".
    """
    setting = getattr(settings, "DOSSIER_FORM_05_ON", "stop")
    return setting in (event, "both")


def issue_withdrawal_notice(
    dossier: Dossier, *, actor: Actor, reason: str, at: dt.datetime
) -> None:
    """Issue Form 05 for a received dossier the applicant withdrew, when so configured.

    A dossier withdrawn before reception was never taken in: nothing to notify then.
    """
    if dossier.received_at is None or not form_05_on("withdrawal"):
        return
    paperwork.issue_form(
        FormKind.STOP_NOTICE,
        dossier,
        issuer=dossier.current_agency,
        actor=actor,
        at=at,
        reason=reason,
        withdrawn=True,
        items=(FormItem(text=reason),),
    )


def do_withdraw_dossier(dossier: Dossier, *, actor: Actor, reason: str) -> Dossier:
    """Withdraw the dossier at the applicant's written request (status 7), at the desk.

    Form 05 follows when ``DOSSIER_FORM_05_ON`` says so. Raise
    ``dossier.withdrawal_after_result`` once the result is ready (R53).
    """
    if dossier.state in _RESULT_STATES:
        raise WithdrawalAfterResult()
    check_transition(dossier, actor, "withdraw")
    text = require_text(reason)
    with transaction.atomic():
        now = clock.now()
        updates = {"finished_at": now} if dossier.received_at is not None else {}
        move(dossier, "withdraw", actor=actor, updates=updates, data={"reason": text})
        close_open_handover(dossier, at=now, note=text)
        issue_withdrawal_notice(dossier, actor=actor, reason=text, at=now)
    return dossier


def do_issue_apology(
    dossier: Dossier, *, actor: Actor, reason: str, new_due_at: dt.datetime
) -> Extension:
    """Apologise for the delay and set the one new appointment date (Form 04).

    A leader (REVIEWER, SIGNER) of the agency holding the dossier, before the current
    appointment date passes. Raise ``dossier.extension_already_issued`` for a second one
    (R37), ``dossier.extension_after_deadline`` once ``due_at`` has passed,
    ``dossier.extension_not_later`` when the new date is not after the current one,
    ``dossier.extension_not_working_day`` when it falls on a day off,
    ``dossier.missing_reason`` without a reason. Nothing is written then.
    """
    text = require_text(reason)
    if new_due_at.tzinfo is None:
        raise InvalidInput(field_errors={"new_due_at": [_("Phải ghi rõ múi giờ.")]})
    with transaction.atomic():
        locked = lock(dossier)
        check_extra_action(locked, actor, "issue_apology")
        if locked.is_extended or Extension.objects.filter(dossier=locked).exists():
            raise ExtensionAlreadyIssued()
        now = clock.now()
        due_at = locked.due_at
        assert due_at is not None  # every dossier in processing has one
        shown = f"{clock.local(due_at):%H:%M %d/%m/%Y}"
        if now >= due_at:
            raise ExtensionAfterDeadline(params={"due_at": shown})
        if new_due_at <= due_at:
            raise ExtensionNotLater(params={"due_at": shown})
        if not workdays.is_working_day(clock.local(new_due_at).date()):
            raise InvalidInput(
                code="dossier.extension_not_working_day",
                field_errors={"new_due_at": [_("Ngày hẹn trả mới phải là ngày làm việc.")]},
            )
        try:
            with transaction.atomic():
                extension = Extension.objects.create(
                    dossier=locked,
                    agency=locked.current_agency,
                    reason=text,
                    previous_due_at=due_at,
                    new_due_at=new_due_at,
                    issued_at=now,
                    issued_by=actor.display_name or actor.ref,
                )
        except IntegrityError:
            raise ExtensionAlreadyIssued() from None
        Dossier.objects.filter(pk=locked.pk, is_extended=False).update(
            due_at=new_due_at, is_extended=True
        )
        locked.due_at, locked.is_extended = new_due_at, True
        record_event(
            locked,
            "issue_apology",
            actor=actor,
            data={"reason": text, "previous_due_at": due_at, "due_at": new_due_at},
        )
        form = paperwork.issue_form(
            FormKind.APOLOGY_EXTENSION,
            locked,
            issuer=locked.current_agency,
            actor=actor,
            at=now,
            reason=text,
            due_at=due_at,
            new_due_at=new_due_at,
            items=(FormItem(text=text),),
        )
        if form is not None:
            Extension.objects.filter(pk=extension.pk).update(form=form)
            extension.form = form
    dossier.due_at, dossier.is_extended = new_due_at, True
    return extension


def warning_working_days() -> int:
    """Return how many working days before the deadline agencies are warned (setting)."""
    return int(getattr(settings, "DOSSIER_WARN_WORKING_DAYS", 1))


def do_record_deadline_warnings(*, actor: Actor, at: dt.datetime | None = None) -> int:
    """Warn the agencies of dossiers due within ``DOSSIER_WARN_WORKING_DAYS`` working days.

    One outbox message ``dossiers.dossier.deadline_warning`` (and audit row) per dossier
    not yet warned, in processing, without an apology and not yet overdue; return how
    many were warned. Run by the periodic task; safe to run twice.
    """
    from motcua.dossiers.selectors import list_dossiers_needing_warning

    moment = at or clock.now()
    warned = 0
    with transaction.atomic():
        for dossier in list_dossiers_needing_warning(at=moment).select_for_update(
            skip_locked=True, of=("self",)
        ):
            if not Dossier.objects.filter(pk=dossier.pk, deadline_warned_at__isnull=True).update(
                deadline_warned_at=moment
            ):
                continue
            record_event(
                dossier,
                "deadline_warning",
                actor=actor,
                data={
                    "due_at": dossier.due_at,
                    "agency": dossier.current_agency_id,
                    "working_days": warning_working_days(),
                },
            )
            warned += 1
    return warned
