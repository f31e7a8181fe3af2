"""Architecture rules that the code review would otherwise have to remember.

1. A state field of a registered machine changes only inside ``motcua/workflow/``:
   no assignment, ``setattr``, ``.update(field=…)``, ``update_fields=[field]`` or
   ``bulk_update(…, [field])`` anywhere else.
2. The dependency direction of DESIGN.md §3: lower layers never import higher ones.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from motcua.workflow.registry import all_machines

SRC = Path(__file__).resolve().parents[2] / "src" / "motcua"

LAYERS: dict[str, int] = {
    "kernel": 0,
    "workflow": 1,
    "audit": 1,
    "integration": 1,
    "workdays": 1,
    "agencies": 2,
    "identity": 2,
    "catalog": 3,
    "dossiers": 4,
    "documents": 4,
    "payments": 4,
    "notifications": 5,
    "scoreboard": 5,
    "regulations": 5,
    "directives": 5,
    "portal": 5,
    "portalsync": 5,
    "web": 6,
}
# The workflow engine writes the audit row and the outbox message of each transition;
# officials belong to agencies; an agency's office hours live with the calendar (ADR 0003).
# Every app records audit rows and outbox messages, so the infrastructure apps of layer 1
# may be imported from any app above the kernel. Dossiers render their forms and results
# through documents (documents never imports dossiers).
INFRASTRUCTURE = {"workflow", "audit", "integration"}
ALLOWED_SAME_LAYER = {
    ("identity", "agencies"),
    ("workdays", "agencies"),
    ("dossiers", "documents"),
    # Online payment moves dossiers through their actions and stores receipts as documents.
    ("payments", "dossiers"),
    ("payments", "documents"),
}


def _python_files() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]


def _state_fields() -> set[str]:
    return {machine.field for machine in all_machines()}


def find_state_writes(source: str, fields: set[str]) -> list[tuple[int, str]]:
    """Return (line, what) for every write to one of ``fields`` in ``source``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr in fields:
                found.append((node.lineno, f"assignment to .{target.attr}"))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "setattr" and len(node.args) >= 2:
            arg = node.args[1]
            if isinstance(arg, ast.Constant) and arg.value in fields:
                found.append((node.lineno, f"setattr(…, {arg.value!r})"))
        if name == "update":
            for kw in node.keywords:
                if kw.arg in fields:
                    found.append((node.lineno, f".update({kw.arg}=…)"))
        lists: list[ast.expr] = [kw.value for kw in node.keywords if kw.arg == "update_fields"]
        if name == "bulk_update":
            lists += [kw.value for kw in node.keywords if kw.arg == "fields"]
            if len(node.args) >= 2:
                lists.append(node.args[1])
        for value in lists:
            if isinstance(value, ast.List | ast.Tuple | ast.Set):
                for elt in value.elts:
                    if isinstance(elt, ast.Constant) and elt.value in fields:
                        found.append((node.lineno, f"writes {elt.value!r} through {name}()"))
    return found


def test_the_detector_finds_every_kind_of_state_write() -> None:
    source = """
obj.state = "x"
setattr(obj, "state", "x")
Model.objects.filter(pk=1).update(state="x")
obj.save(update_fields=["state"])
Model.objects.bulk_update(objs, ["state"])
obj.other = 1
models.Index(fields=["state"], name="ok")
"""
    assert [what for _line, what in find_state_writes(source, {"state"})] == [
        "assignment to .state",
        "setattr(…, 'state')",
        ".update(state=…)",
        "writes 'state' through save()",
        "writes 'state' through bulk_update()",
    ]


def test_state_fields_change_only_inside_workflow() -> None:
    fields = _state_fields()
    assert fields, "no state machine registered"
    offences = []
    for path in _python_files():
        if path.is_relative_to(SRC / "workflow"):
            continue
        for line, what in find_state_writes(path.read_text(encoding="utf-8"), fields):
            offences.append(f"{path.relative_to(SRC)}:{line}: {what}")
    assert offences == [], "state changed outside apply_transition():\n" + "\n".join(offences)


def _imported_apps(path: Path) -> set[str]:
    apps: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        for module in modules:
            parts = module.split(".")
            if parts[0] == "motcua" and len(parts) > 1 and parts[1] in LAYERS:
                apps.add(parts[1])
    return apps


@pytest.mark.parametrize("app", sorted(a for a in LAYERS if (SRC / a).is_dir()))
def test_apps_import_only_lower_layers(app: str) -> None:
    offences = []
    for path in (SRC / app).rglob("*.py"):
        if "migrations" in path.parts or "management" in path.parts:
            continue
        for other in _imported_apps(path):
            if other == app or (app, other) in ALLOWED_SAME_LAYER:
                continue
            if other in INFRASTRUCTURE and app != "kernel":
                continue
            if LAYERS[other] >= LAYERS[app]:
                offences.append(f"{path.relative_to(SRC)} imports motcua.{other}")
    assert offences == []
