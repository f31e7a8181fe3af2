"""The committed JSON Schema of the import format is the one the code validates with."""

from __future__ import annotations

import json
from pathlib import Path

from motcua.catalog.schemas import import_json_schema

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "catalog" / "procedure-import.schema.json"


def test_committed_schema_matches_the_models():
    committed = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert committed == import_json_schema(), (
        "regenerate: motcua catalog schema > docs/catalog/procedure-import.schema.json"
    )
