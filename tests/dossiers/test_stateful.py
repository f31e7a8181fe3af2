"""Property-based test of the lifecycle (hypothesis ``RuleBasedStateMachine``).

Whatever sequence of actions officials of every desk and agency try — the ones the
machine offers them, and arbitrary ones it does not — these stay true:

* each successful action writes at most one transition, with exactly one audit row and
  one outbox message; a refused action writes nothing at all;
* the appointment date moves only by the paused working time and the one extension
  (office time between the base date and ``due_at`` equals the pauses since the base);
* ``original_due_at`` never changes once set; terminal states stay terminal;
* every dossier with a code has a due date; the national status matches the state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import pytest
from django.db import transaction
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from tests.dossiers.conftest import MONDAY_9, Clock, pdf_upload, snapshot
from tests.dossiers.factories import World, chain_submission, make_world
from tests.dossiers.flows import single_submission

from motcua import workdays
from motcua.audit.models import AuditEvent
from motcua.dossiers import actions, selectors
from motcua.dossiers.actions import SupplementItem, SuppliedDocument
from motcua.dossiers.enums import DigitisationExemption
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.states import DOSSIER_MACHINE, NATIONAL_STATUS, TERMINAL_STATES
from motcua.integration.models import OutboxMessage
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import ApplicationError
from motcua.workdays.selectors import invalidate_calendar_cache

TRANSITIONS = frozenset(t.name for t in DOSSIER_MACHINE.transitions)
ACTORS = [
    "desk", "postal", "commune_desk", "justice_handler", "justice_reviewer", "justice_signer",
    "construction_handler", "construction_reviewer", "construction_signer", "hanoi_signer",
]  # fmt: skip
ALL_ACTIONS = sorted(
    TRANSITIONS
    | {"digitise_document", "mark_document_exempt", "issue_apology", "record_payment_at_collection"}
)
ITEMS = [SupplementItem("Bản vẽ", "Thiếu chữ ký")]
ENDINGS = frozenset({"refuse", "withdraw", "stop"})


def _counts(dossier_id: int) -> tuple[int, int]:
    audit = AuditEvent.objects.filter(
        aggregate_type="dossiers.dossier", aggregate_id=str(dossier_id)
    )
    outbox = OutboxMessage.objects.filter(
        aggregate_type="dossiers.dossier", aggregate_id=str(dossier_id)
    )
    transitions_audited = sum(
        1 for a in audit.values_list("action", flat=True) if a.rsplit(".", 1)[-1] in TRANSITIONS
    )
    transitions_sent = sum(
        1 for t in outbox.values_list("topic", flat=True) if t.rsplit(".", 1)[-1] in TRANSITIONS
    )
    assert transitions_audited == transitions_sent
    return transitions_audited, audit.count() - outbox.count()


class DossierLifecycle(RuleBasedStateMachine):
    # Shared by the examples of one test run; each example rolls its own writes back.
    clock: ClassVar[Clock]
    shared_world: ClassVar[World]

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.clock.set(MONDAY_9)
        self.world = self.shared_world
        self.dossier: Dossier | None = None
        self.transitions = 0
        self.terminal: str | None = None
        self.original_due: dt.datetime | None = None
        self.base_due: dt.datetime | None = None  # original date, or the extension's
        self.paused_since_base = dt.timedelta(0)
        self.open_request_at: dt.datetime | None = None

    def teardown(self) -> None:
        if self.dossier is not None:
            event(Dossier.objects.get(pk=self.dossier.pk).state)
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # -- set-up --------------------------------------------------------------------

    @precondition(lambda self: self.dossier is None)
    @rule(chain=st.booleans(), complete=st.booleans())
    def submit(self, chain: bool, complete: bool) -> None:
        if chain:
            docs = ("application", "land", "identity_card") if complete else ("application",)
            submission = chain_submission(self.world, *docs)
        else:
            submission = single_submission(self.world)
        self.dossier = actions.do_register_submission(
            self.world.desk, actor=self.world.actors["desk"], submission=submission
        )

    # -- time ------------------------------------------------------------------------

    @rule(hours=st.integers(min_value=1, max_value=40))
    def time_passes(self, hours: int) -> None:
        self.clock.set(self.clock.moment + dt.timedelta(hours=hours))

    # -- acting ----------------------------------------------------------------------

    def _call(self, name: str, actor: Actor) -> None:
        dossier = Dossier.objects.get(pk=self.dossier.pk)  # type: ignore[union-attr]
        a = self.world.actors
        if name == "receive":
            actions.do_receive_dossier(dossier, actor=actor)
        elif name == "request_reception_supplement":
            missing = [d for d in dossier.documents.all() if d.is_mandatory and not d.is_provided]
            items = [SupplementItem(d.name, "Chưa nộp", d.pk) for d in missing] or ITEMS
            actions.do_request_reception_supplement(dossier, actor=actor, items=items)
        elif name == "resubmit":
            provided = self.world.provided("application", "land", "identity_card")
            wanted = {d.procedure_document_id for d in dossier.documents.all()}
            actions.do_record_reception_supplement(
                dossier,
                actor=actor,
                documents=[p for p in provided if p.procedure_document_id in wanted],
            )
        elif name == "refuse":
            actions.do_refuse_dossier(dossier, actor=actor, reason="Không thuộc thẩm quyền")
        elif name == "transfer":
            actions.do_transfer_dossier(dossier, actor=actor)
        elif name == "assign":
            handler = (
                "justice_handler"
                if dossier.current_agency_id == self.world.justice.pk
                else "construction_handler"
            )
            actions.do_assign_dossier(dossier, actor=actor, assignee_id=a[handler].user_id)  # type: ignore[arg-type]
        elif name == "submit_for_review":
            actions.do_submit_for_review(dossier, actor=actor)
        elif name == "approve":
            actions.do_approve_dossier(dossier, actor=actor)
        elif name == "send_back":
            actions.do_send_back_dossier(dossier, actor=actor, reason="Sửa lại")
        elif name in ("sign_result", "sign_result_pending_payment"):
            actions.do_sign_result(dossier, actor=actor)
        elif name == "forward_to_next_agency":
            actions.do_forward_to_next_agency(dossier, actor=actor)
        elif name == "request_supplement":
            actions.do_request_supplement(dossier, actor=actor, items=ITEMS)
        elif name == "receive_supplement":
            actions.do_receive_supplement(dossier, actor=actor)
        elif name == "request_payment":
            actions.do_request_payment(dossier, actor=actor)
        elif name in ("record_payment", "record_payment_release", "record_payment_at_collection"):
            actions.do_record_payment(dossier, actor=actor, reference="BL-1")
        elif name == "stop":
            actions.do_stop_processing(dossier, actor=actor, reason="Không đủ điều kiện")
        elif name == "withdraw":
            actions.do_withdraw_dossier(dossier, actor=actor, reason="Người nộp yêu cầu")
        elif name == "return_result":
            actions.do_return_result(dossier, actor=actor, payment_reference="BL-2")
        elif name == "issue_apology":
            due = dossier.due_at or self.clock.moment
            day = workdays.add_working_days(clock.local(due).date(), 2)
            new_due = dt.datetime.combine(day, dt.time(17), clock.VN_TZ)
            actions.do_issue_apology(dossier, actor=actor, reason="Chậm", new_due_at=new_due)
        elif name == "digitise_document":
            document = next(
                d for d in DossierDocument.objects.filter(dossier=dossier) if d.needs_digitisation
            )
            actions.do_digitise_document(document, actor=actor, uploaded_file=pdf_upload())
        elif name == "mark_document_exempt":
            document = next(
                d for d in DossierDocument.objects.filter(dossier=dossier) if d.needs_digitisation
            )
            actions.do_mark_document_exempt(
                document, actor=actor, exemption=DigitisationExemption.AGENCY_OUTPUT
            )
        elif name in ("resubmit_online", "supplement_online"):
            # The applicant's own transitions: officials are refused (not the applicant).
            document = DossierDocument.objects.filter(dossier=dossier).first()
            supplied = [
                SuppliedDocument(document.pk if document else None, uploaded_file=pdf_upload())
            ]
            actions.do_answer_supplement(dossier, actor=actor, supplied=supplied)
        elif name == "withdraw_online":
            actions.do_withdraw_by_applicant(dossier, actor=actor, reason="Rút")
        else:  # pragma: no cover - every name of ALL_ACTIONS is handled above
            raise AssertionError(name)

    def _attempt(self, name: str, who: str) -> None:
        assert self.dossier is not None
        actor = self.world.actors[who]
        before_state = Dossier.objects.get(pk=self.dossier.pk)
        before_counts = _counts(self.dossier.pk)
        before = snapshot()
        try:
            with transaction.atomic():
                self._call(name, actor)
        except (ApplicationError, StopIteration):
            assert snapshot() == before, f"{name} by {who} failed but wrote"
            return
        after = Dossier.objects.get(pk=self.dossier.pk)
        transitions, _other = _counts(self.dossier.pk)
        moved = after.state != before_state.state
        assert transitions - before_counts[0] == (1 if moved else 0), name
        self.transitions += transitions - before_counts[0]
        self._follow_dates(before_state, after, name)

    def _follow_dates(self, before: Dossier, after: Dossier, name: str) -> None:
        if before.due_at is None and after.due_at is not None:
            self.original_due = self.base_due = after.due_at
        if name == "request_supplement" and after.state == "supplement_requested":
            self.open_request_at = self.clock.moment
        if name == "receive_supplement" and before.state == "supplement_requested":
            assert self.open_request_at is not None
            self.paused_since_base += workdays.elapsed_working_time(
                self.open_request_at, self.clock.moment
            )
            self.open_request_at = None
        if name == "issue_apology" and after.is_extended and not before.is_extended:
            self.base_due, self.paused_since_base = after.due_at, dt.timedelta(0)

    @precondition(lambda self: self.dossier is not None)
    @rule(pick=st.integers(min_value=0, max_value=99))
    def take_an_offered_action(self, pick: int) -> None:
        """Take one of the actions the selectors offer to anyone (mostly ones that go on)."""
        dossier = Dossier.objects.get(pk=self.dossier.pk)  # type: ignore[union-attr]
        offered = [
            (action.name, who)
            for who in ACTORS
            for action in selectors.list_available_actions(dossier, self.world.actors[who])
        ]
        going_on = [(name, who) for name, who in offered if name not in ENDINGS]
        choices = going_on if going_on and pick >= 10 else offered
        if choices:
            name, who = choices[pick % len(choices)]
            self._attempt(name, who)

    @precondition(lambda self: self.dossier is not None)
    @rule(who=st.sampled_from(ACTORS), name=st.sampled_from(ALL_ACTIONS))
    def try_anything(self, who: str, name: str) -> None:
        self._attempt(name, who)

    # -- invariants -----------------------------------------------------------------

    @invariant()
    def the_invariants_hold(self) -> None:
        if self.dossier is None:
            return
        dossier = Dossier.objects.get(pk=self.dossier.pk)
        assert _counts(dossier.pk)[0] == self.transitions
        assert dossier.national_status == NATIONAL_STATUS[dossier.state]
        if dossier.code is not None:
            assert dossier.due_at is not None
        if self.terminal is not None:
            assert dossier.state == self.terminal
        elif dossier.state in TERMINAL_STATES:
            self.terminal = dossier.state
        assert dossier.original_due_at == self.original_due
        if self.base_due is not None and dossier.due_at is not None:
            moved = workdays.elapsed_working_time(self.base_due, dossier.due_at)
            assert moved == self.paused_since_base


def _run(frozen: Clock, **options: Any) -> None:
    invalidate_calendar_cache()
    DossierLifecycle.clock = frozen
    DossierLifecycle.shared_world = make_world()
    run_state_machine_as_test(
        DossierLifecycle, settings=settings(deadline=None, database=None, **options)
    )


@pytest.mark.django_db
def test_lifecycle_invariants_hold(frozen: Clock) -> None:
    _run(frozen, max_examples=6, stateful_step_count=30)


@pytest.mark.slow
@pytest.mark.django_db
def test_lifecycle_invariants_hold_long(frozen: Clock) -> None:
    _run(frozen, max_examples=120, stateful_step_count=60)
