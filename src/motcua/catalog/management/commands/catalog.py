"""``motcua catalog import FILE [--partial] [--publish]`` and
``motcua catalog export --format json|xlsx|csv -o FILE [--latest]`` and
``motcua catalog schema`` (the JSON Schema of the format).

Import reads JSON, XLSX or a ZIP of CSV files (recognised by content) and prints every
invalid row with its sheet, row, field and reason; it exits with status 1 when
nothing was imported. Export writes the versions in force (``--latest``: the latest
version of each procedure, drafts included).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from motcua.catalog.actions import do_import_procedures
from motcua.catalog.errors import ImportRejected
from motcua.catalog.exporting import FORMATS, export_versions
from motcua.catalog.importing import ImportReport, read_import_file
from motcua.catalog.models import (
    FeeItem,
    LegalBasis,
    ProcedureCase,
    ProcedureDocument,
    ProcedureVersion,
    ProcessStep,
)
from motcua.catalog.schemas import import_json_schema
from motcua.catalog.selectors import iter_versions_for_export
from motcua.kernel.actors import Actor
from motcua.kernel.errors import ApplicationError

# The tables a bulk import fills (thousands of rows at once).
_IMPORTED_TABLES = (
    ProcedureVersion,
    ProcedureCase,
    ProcedureDocument,
    ProcessStep,
    FeeItem,
    LegalBasis,
)


def _refresh_statistics() -> None:
    """On PostgreSQL, ``VACUUM (ANALYZE)`` the catalogue tables after a bulk import.

    Autovacuum would get there within minutes; until then the planner misjudges the new
    rows (it picked sequential scans) and the search's index-only scans still visit the
    table (no visibility map yet): searches cost 20–30 ms instead of 1–2 ms of SQL in the
    benchmark. A few seconds for 6,000 procedures, outside the import's transaction.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in _IMPORTED_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")


class Command(BaseCommand):
    help = "Procedure catalogue: import or export procedures (JSON, XLSX, ZIP of CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        imp = sub.add_parser("import", help="Import procedures from FILE.")
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--partial",
            action="store_true",
            help="Import the valid procedures even when some rows are invalid.",
        )
        imp.add_argument(
            "--publish",
            action="store_true",
            help="Publish every imported version under its announcement decision.",
        )
        sub.add_parser("schema", help="Print the JSON Schema of the import/export format.")
        exp = sub.add_parser("export", help="Export procedures to FILE.")
        exp.add_argument("--format", choices=sorted(FORMATS), default="json")
        exp.add_argument("-o", "--output", type=Path, required=True)
        exp.add_argument(
            "--latest",
            action="store_true",
            help="Export the latest version of each procedure (drafts too), not the one in force.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "import":
            self._import(options["file"], partial=options["partial"], publish=options["publish"])
        elif options["subcommand"] == "schema":
            self.stdout.write(json.dumps(import_json_schema(), ensure_ascii=False, indent=2))
        else:
            self._export(options["format"], options["output"], latest=options["latest"])

    def _print_report(self, report: ImportReport) -> None:
        for issue in report.issues:
            code = f"[{issue.procedure_code}] " if issue.procedure_code else ""
            self.stderr.write(f"{code}{issue}")
        self.stdout.write(report.summary())

    def _import(self, path: Path, *, partial: bool, publish: bool) -> None:
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        actor = Actor.system("cli:catalog")
        try:
            batch = read_import_file(content)
            report = do_import_procedures(batch, actor=actor, partial=partial, publish=publish)
        except ImportRejected as exc:
            self._print_report(exc.report)
            raise CommandError(exc.message) from None
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self._print_report(report)
        _refresh_statistics()
        style = self.style.SUCCESS if report.ok else self.style.WARNING
        self.stdout.write(style(f"OK: {path}"))

    def _export(self, fmt: str, output: Path, *, latest: bool) -> None:
        count = 0

        def counted() -> Iterator[ProcedureVersion]:
            nonlocal count
            for version in iter_versions_for_export(latest=latest):
                count += 1
                yield version

        output.write_bytes(export_versions(counted(), fmt))
        self.stdout.write(self.style.SUCCESS(f"{count} procedures → {output} ({fmt})"))
