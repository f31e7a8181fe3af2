"""Periodic jobs for the relay tests: a plain function and a ``django.tasks`` task."""

from __future__ import annotations

from django.tasks import task

calls: list[str] = []


def count_call() -> None:
    calls.append("function")


@task()
def count_task() -> None:
    calls.append("task")
