"""``apply_transition()``: compare-and-set a state, audit it, and put its event in the outbox.

The update is ``UPDATE … SET state = target WHERE pk = … AND state = expected``: when two
officials act at once, the database lets exactly one ``UPDATE`` match and the other
gets ``ConcurrentTransition`` — no lock is held between reading the page and
clicking. The audit row and the outbox row are written in the caller's transaction
(on PostgreSQL in the same statement as the ``UPDATE``: ``journal.change_state``), so
either all three happen or none does.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from motcua.kernel.actors import Actor
from motcua.workflow.errors import ConcurrentTransition
from motcua.workflow.journal import change_state
from motcua.workflow.machine import StateMachine, Transition

__all__ = ["apply_transition"]


def apply_transition(
    obj: models.Model,
    machine: StateMachine,
    name: str,
    *,
    actor: Actor,
    context: dict[str, Any] | None = None,
    updates: dict[str, Any] | None = None,
    audit_data: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
    aggregate_type: str | None = None,
) -> Transition:
    """Move ``obj`` through transition ``name`` of ``machine`` on behalf of ``actor``.

    ``updates`` are other fields written in the same compare-and-set ``UPDATE``
    (timestamps, assignee…). ``payload`` goes to the outbox message
    ``<aggregate_type>.<transition>``; ``audit_data`` to the audit row (both get
    ``from`` and ``to``). Raises ``WrongState``, ``TransitionNotAllowed``, a guard's
    ``ApplicationError`` or ``ConcurrentTransition``; nothing is written then.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("apply_transition() must run inside transaction.atomic()")
    context = context or {}
    transition = machine.get(name)
    machine.check(obj, transition, actor, context)

    expected = getattr(obj, machine.field)
    values: dict[str, Any] = {machine.field: transition.target, **(updates or {})}
    model = type(obj)
    agg_type = aggregate_type or model._meta.label_lower
    change = {"from": expected, "to": transition.target}
    matched = change_state(
        model._default_manager.filter(pk=obj.pk, **{machine.field: expected}),
        values,
        actor=actor,
        aggregate_type=agg_type,
        aggregate_id=obj.pk,
        name=transition.name,
        data={**change, **(audit_data or {})},
        payload={**change, **(payload or {}), "actor": actor.ref},
    )
    if matched != 1:
        raise ConcurrentTransition()
    for attr, value in values.items():
        if not hasattr(value, "resolve_expression"):
            setattr(obj, attr, value)
    return transition
