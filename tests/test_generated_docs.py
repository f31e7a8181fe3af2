"""Generated documents that are committed must match the code: OpenAPI and workflow diagrams."""

from __future__ import annotations

import json
from pathlib import Path

from motcua.web.management.commands.export_openapi import render_openapi
from motcua.workflow.diagrams import render_mermaid
from motcua.workflow.registry import all_machines

ROOT = Path(__file__).resolve().parents[1]


def test_committed_openapi_matches_the_api() -> None:
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(render_openapi()), (
        "the API changed: review the change and run `make openapi` to update docs/openapi.json"
    )


def test_openapi_is_3_1_and_documents_problem_errors() -> None:
    schema = json.loads(render_openapi())
    assert schema["openapi"].startswith("3.1")
    assert schema["info"]["title"] == "motcua API"


def test_committed_workflow_diagrams_match_the_machines() -> None:
    machines = [m for m in all_machines() if not m.name.startswith("testapp.")]
    for machine in machines:
        path = ROOT / "docs" / "workflows" / f"{machine.name}.md"
        assert path.exists(), f"run `make diagrams`: {path.name} is missing"
        assert path.read_text(encoding="utf-8") == render_mermaid(machine), (
            f"run `make diagrams`: {path.name} is out of date"
        )
