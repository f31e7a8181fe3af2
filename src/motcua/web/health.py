"""``/healthz`` (database and task queue reachable) and ``/metrics`` (Prometheus)."""

from __future__ import annotations

import time

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

__all__ = ["healthz", "metrics"]


def _check_database() -> dict[str, object]:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 2)}


def _check_queue() -> dict[str, object]:
    from django_tasks_db.models import DBTaskResult

    from motcua.integration.models import OutboxMessage, OutboxStatus

    # Counting with LIMIT keeps the check O(1) on a large backlog.
    pending_tasks = DBTaskResult.objects.filter(status="READY")[:10001].count()
    pending_outbox = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)[:10001].count()
    dead_outbox = OutboxMessage.objects.filter(status=OutboxStatus.DEAD)[:10001].count()
    return {
        "ok": True,
        "pending_tasks": pending_tasks,
        "pending_outbox": pending_outbox,
        "dead_outbox": dead_outbox,
    }


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    checks: dict[str, dict[str, object]] = {}
    status = 200
    for name, check in (("database", _check_database), ("queue", _check_queue)):
        try:
            checks[name] = check()
        except Exception as exc:
            checks[name] = {"ok": False, "error": type(exc).__name__}
            status = 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "fail", "checks": checks}, status=status
    )


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    return HttpResponse(generate_latest(), content_type=CONTENT_TYPE_LATEST)
