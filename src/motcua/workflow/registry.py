"""Every registered state machine, so tools can find each state field."""

from __future__ import annotations

from motcua.workflow.machine import StateMachine

__all__ = ["all_machines", "register"]

_machines: dict[str, StateMachine] = {}


def register(machine: StateMachine) -> StateMachine:
    existing = _machines.get(machine.name)
    if existing is not None and existing is not machine:
        raise ValueError(f"state machine {machine.name} registered twice")
    _machines[machine.name] = machine
    return machine


def all_machines() -> list[StateMachine]:
    return list(_machines.values())
