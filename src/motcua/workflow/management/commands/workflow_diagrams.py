"""``motcua workflow_diagrams DIR``: write one Mermaid page per registered state machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.workflow.diagrams import render_mermaid
from motcua.workflow.registry import all_machines


class Command(BaseCommand):
    help = "Generate docs/workflows/*.md (Mermaid state diagrams) from the registered machines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        directory.mkdir(parents=True, exist_ok=True)
        for machine in all_machines():
            if machine.name.startswith("testapp."):
                continue
            path = directory / f"{machine.name}.md"
            path.write_text(render_mermaid(machine), encoding="utf-8")
            self.stdout.write(f"wrote {path}")
