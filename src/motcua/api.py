"""The HTTP API at ``/api/v1/``: one NinjaAPI, each app adds its router.

OpenAPI 3.1 at ``/api/v1/openapi.json``, interactive docs at ``/api/v1/docs``; every
error is RFC 9457 problem+json with a stable ``code`` (``motcua.kernel.problems``).
The committed ``docs/openapi.json`` is checked against this in the tests.
"""

from __future__ import annotations

from django.utils.module_loading import import_string
from ninja import NinjaAPI

from motcua.kernel.problems import install_problem_handlers

__all__ = ["api"]

api = NinjaAPI(
    title="motcua API",
    version="1.0.0",
    description=(
        "API của nền tảng một cửa điện tử motcua: danh mục thủ tục hành chính, hồ sơ, "
        "lịch làm việc, cơ quan. Lỗi trả về theo RFC 9457 (application/problem+json) "
        "với mã lỗi ổn định trong trường `code`."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_problem_handlers(api)

# Each app exposes ``router`` in its api.py; the order is the order of the docs.
ROUTERS = [
    ("/agencies", "motcua.agencies.api.router"),
    ("/calendar", "motcua.workdays.api.router"),
    ("/procedures", "motcua.catalog.api.router"),
    ("/dossiers", "motcua.dossiers.api.router"),
    ("/scoreboard", "motcua.scoreboard.api.router"),
    ("/citizen", "motcua.portal.api.router"),
]
for prefix, path in ROUTERS:
    api.add_router(prefix, import_string(path))
