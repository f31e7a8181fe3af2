"""``StateMachine`` and ``Transition``: a lifecycle declared as data.

A transition names its source states, its target, the roles allowed to take it, an
optional ``authorize`` hook (e.g. "same agency as the dossier") and guards that raise
``ApplicationError`` when a precondition fails. The UI lists the buttons of an object
with ``machine.available(obj, actor)``; templates never decide which action is allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.utils.functional import Promise

from motcua.kernel.actors import Actor
from motcua.kernel.errors import ApplicationError
from motcua.workflow.errors import TransitionNotAllowed, UnknownTransition, WrongState

__all__ = ["Guard", "StateMachine", "Transition"]

Guard = Callable[[Any, Actor, dict[str, Any]], None]
Authorize = Callable[[Any, Actor], bool]


@dataclass(frozen=True)
class Transition:
    name: str
    source: frozenset[str]
    target: str
    label: str | Promise
    roles: frozenset[str] = frozenset()
    authorize: Authorize | None = None
    guards: tuple[Guard, ...] = ()
    style: str = "primary"
    # Transitions the UI should not offer as a plain button (they need a form, or the system takes them).
    is_system: bool = False

    def is_permitted(self, obj: Any, actor: Actor) -> bool:
        if self.roles and not actor.has_role(*self.roles):
            return False
        return self.authorize is None or actor.is_system or self.authorize(obj, actor)


@dataclass
class StateMachine:
    """A lifecycle: ``model_label`` (``"catalog.ProcedureVersion"``) and its ``field``."""

    name: str
    model_label: str
    field: str
    states: Sequence[tuple[str, str | Promise]]
    transitions: Sequence[Transition]
    initial: str
    terminal: frozenset[str] = frozenset()
    _by_name: dict[str, Transition] = dataclass_field(init=False, repr=False)

    def __post_init__(self) -> None:
        names = [state for state, _label in self.states]
        self._by_name = {}
        for transition in self.transitions:
            if transition.name in self._by_name:
                raise ValueError(f"{self.name}: duplicate transition {transition.name}")
            unknown = (set(transition.source) | {transition.target}) - set(names)
            if unknown:
                raise ValueError(f"{self.name}.{transition.name}: unknown states {unknown}")
            self._by_name[transition.name] = transition
        if self.initial not in names:
            raise ValueError(f"{self.name}: unknown initial state {self.initial}")

    @property
    def state_names(self) -> list[str]:
        return [state for state, _label in self.states]

    def label_of(self, state: str) -> str:
        return str(dict(self.states).get(state, state))

    def get(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise UnknownTransition(params={"transition": name}) from None

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.source]

    def available(
        self, obj: Any, actor: Actor, *, include_system: bool = False
    ) -> list[Transition]:
        """Return the transitions ``actor`` may take now on ``obj`` (guards not evaluated)."""
        state = getattr(obj, self.field)
        return [
            t
            for t in self.from_state(state)
            if (include_system or not t.is_system) and t.is_permitted(obj, actor)
        ]

    def check(
        self, obj: Any, transition: Transition, actor: Actor, context: dict[str, Any]
    ) -> None:
        """Raise the error that stops ``transition`` now, or return when it may run."""
        state = getattr(obj, self.field)
        if state not in transition.source:
            raise WrongState(params={"state": self.label_of(state)})
        if not transition.is_permitted(obj, actor):
            raise TransitionNotAllowed(params={"transition": str(transition.label)})
        for guard in transition.guards:
            guard(obj, actor, context)

    def edges(self) -> Iterable[tuple[str, str, Transition]]:
        for transition in self.transitions:
            for source in sorted(transition.source):
                yield source, transition.target, transition


def guard_error(exc: ApplicationError) -> Guard:
    """Return a guard that always raises ``exc`` (useful in tests and for disabled steps)."""

    def _guard(obj: Any, actor: Actor, context: dict[str, Any]) -> None:
        raise exc

    return _guard
