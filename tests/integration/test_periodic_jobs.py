"""The worker's periodic jobs: a function runs in the relay loop, a task is enqueued."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from motcua.integration.relay import run_relay
from tests.testapp import jobs

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(WORKER_PERIODIC_JOBS=[("tests.testapp.jobs.no_such_job", 60.0)])
def test_a_misconfigured_job_stops_the_worker_at_start_not_later() -> None:
    jobs.calls.clear()

    with pytest.raises(ImportError, match="no_such_job"):
        run_relay(max_batches=1)

    assert jobs.calls == []


@override_settings(
    WORKER_PERIODIC_JOBS=[
        ("tests.testapp.jobs.count_call", 60.0),
        ("tests.testapp.jobs.count_task", 60.0),
    ]
)
def test_jobs_run_at_their_interval_not_at_every_batch() -> None:
    jobs.calls.clear()

    run_relay(max_batches=3, idle_sleep=0)

    # The function ran once in three batches; the task was enqueued, not run here.
    assert jobs.calls == ["function"]
    enqueued = DBTaskResult.objects.filter(task_path="tests.testapp.jobs.count_task")
    assert enqueued.count() == 1
