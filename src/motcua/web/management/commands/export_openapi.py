"""``motcua export_openapi``: print the OpenAPI document (committed as ``docs/openapi.json``)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand


def render_openapi() -> str:
    from motcua.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Print the OpenAPI 3.1 document of /api/v1/ (compare with docs/openapi.json)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(render_openapi(), ending="")
