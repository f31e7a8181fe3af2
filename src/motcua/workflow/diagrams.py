"""Render registered state machines as Mermaid state diagrams for ``docs/workflows/``."""

from __future__ import annotations

import re

from django.utils import translation

from motcua.workflow.machine import StateMachine

__all__ = ["render_mermaid"]


def _node(state: str) -> str:
    return re.sub(r"\W", "_", state)


def render_mermaid(machine: StateMachine) -> str:
    """Return a Markdown page with the machine's diagram and its transition table (Vietnamese)."""
    with translation.override("vi"):
        lines = [
            f"# {machine.name}",
            "",
            f"Generated from `{machine.model_label}.{machine.field}` by `make diagrams`; do not edit.",
            "",
            "```mermaid",
            "stateDiagram-v2",
        ]
        for state, label in machine.states:
            lines.append(f"    {_node(state)}: {state} — {label}")
        lines.append(f"    [*] --> {_node(machine.initial)}")
        for source, target, transition in machine.edges():
            lines.append(f"    {_node(source)} --> {_node(target)}: {transition.name}")
        for state in sorted(machine.terminal):
            lines.append(f"    {_node(state)} --> [*]")
        lines += ["```", "", "| Transition | From | To | Roles | Label |", "|---|---|---|---|---|"]
        for transition in machine.transitions:
            roles = ", ".join(sorted(transition.roles)) or "—"
            sources = ", ".join(sorted(transition.source))
            lines.append(
                f"| `{transition.name}` | {sources} | {transition.target} | {roles} | {transition.label} |"
            )
    return "\n".join(lines) + "\n"
