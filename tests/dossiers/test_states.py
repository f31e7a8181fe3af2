"""The machine as data: national codes, allowed moves, terminals, scopes."""

from __future__ import annotations

from motcua.dossiers.states import (
    ALLOWED_NATIONAL_MOVES,
    APPLICANT_TRANSITIONS,
    DESK_SCOPED_TRANSITIONS,
    DOSSIER_MACHINE,
    NATIONAL_STATUS,
    TERMINAL_STATES,
    DossierState,
    is_applicant,
)
from motcua.workflow.registry import all_machines


def test_machine_is_registered_on_the_state_field() -> None:
    assert DOSSIER_MACHINE in all_machines()
    assert (DOSSIER_MACHINE.model_label, DOSSIER_MACHINE.field) == ("dossiers.Dossier", "state")


def test_every_state_has_a_national_status_code() -> None:
    assert set(NATIONAL_STATUS) == set(DossierState.values)
    assert set(NATIONAL_STATUS.values()) == set(range(1, 11))


def test_every_transition_is_a_move_the_national_list_allows() -> None:
    moves = {
        (NATIONAL_STATUS[source], NATIONAL_STATUS[target])
        for source, target, _t in DOSSIER_MACHINE.edges()
    }
    assert {m for m in moves if m[0] != m[1]} <= ALLOWED_NATIONAL_MOVES


def test_terminal_states_have_no_way_out() -> None:
    assert TERMINAL_STATES == {"refused", "withdrawn", "stopped", "returned"}
    for state in TERMINAL_STATES:
        assert DOSSIER_MACHINE.from_state(state) == []


def test_no_withdrawal_once_the_result_exists() -> None:
    withdraw = DOSSIER_MACHINE.get("withdraw")
    assert withdraw.source.isdisjoint({"result_awaiting_payment", "result_ready", "returned"})


def test_every_transition_has_roles_and_a_scope() -> None:
    for transition in DOSSIER_MACHINE.transitions:
        # The applicant's own transitions need no role: only the account that filed it.
        assert transition.roles or transition.authorize is is_applicant, transition.name
        assert transition.authorize is not None, transition.name
    assert APPLICANT_TRANSITIONS == {"resubmit_online", "supplement_online", "withdraw_online"}
    assert DESK_SCOPED_TRANSITIONS == {
        "receive", "request_reception_supplement", "resubmit", "refuse", "transfer",
        "receive_supplement", "record_payment", "record_payment_release", "withdraw",
        "return_result",
    }  # fmt: skip


def test_every_non_terminal_state_is_reachable_from_submitted() -> None:
    reached, frontier = {"submitted"}, ["submitted"]
    while frontier:
        state = frontier.pop()
        for transition in DOSSIER_MACHINE.from_state(state):
            if transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(DossierState.values)
