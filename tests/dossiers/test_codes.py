"""Dossier codes: format, per-unit daily sequence, configurable pattern, concurrency."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection, transaction
from django.test import override_settings
from tests.dossiers.conftest import local

from motcua.dossiers.codes import allocate_dossier_code, format_dossier_code, next_number
from motcua.dossiers.errors import CodeSequenceExhausted
from motcua.dossiers.models import DossierCodeSequence


def test_default_format() -> None:
    assert (
        format_dossier_code("000.00.12.H56", dt.date(2023, 5, 12), 3) == "000.00.12.H56-230512-0003"
    )
    assert format_dossier_code("G09.20", dt.date(2025, 7, 1), 10_000) == "G09.20-250701-10000"


@override_settings(DOSSIER_CODE_PATTERN="{unit}/{yyyy}{mm}{dd}/{seq:05d}")
def test_pattern_is_a_setting() -> None:
    assert format_dossier_code("H56", dt.date(2025, 7, 1), 7) == "H56/20250701/00007"


@pytest.mark.django_db
def test_sequence_is_per_unit_and_local_day() -> None:
    with transaction.atomic():
        first = allocate_dossier_code("A", local(2025, 10, 6, 23, 59))
        second = allocate_dossier_code("A", local(2025, 10, 6, 8, 0))
        other_unit = allocate_dossier_code("B", local(2025, 10, 6, 8, 0))
        # 17:30 UTC on the 6th is 00:30 on the 7th in Hà Nội: a new day.
        next_day = allocate_dossier_code("A", dt.datetime(2025, 10, 6, 17, 30, tzinfo=dt.UTC))

    assert (first, second, other_unit, next_day) == (
        "A-251006-0001",
        "A-251006-0002",
        "B-251006-0001",
        "A-251007-0001",
    )


@pytest.mark.django_db
@override_settings(DOSSIER_CODE_DAILY_LIMIT=2)
def test_configured_daily_limit() -> None:
    with transaction.atomic():
        allocate_dossier_code("A", local(2025, 10, 6, 9))
        allocate_dossier_code("A", local(2025, 10, 6, 9))
    with pytest.raises(CodeSequenceExhausted), transaction.atomic():
        allocate_dossier_code("A", local(2025, 10, 6, 9))

    assert DossierCodeSequence.objects.get().last_number == 2


def test_next_number_needs_a_transaction() -> None:
    with pytest.raises(RuntimeError):
        next_number("A", dt.date(2025, 10, 6))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_receipts_never_share_a_number() -> None:
    """Sixteen threads, 25 numbers each, same unit and day: 400 distinct, gapless numbers."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    numbers: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(16)

    def worker() -> None:
        try:
            start.wait()
            for _ in range(25):
                with transaction.atomic():
                    number = next_number("000.00.01.H56", dt.date(2025, 10, 6))
                with lock:
                    numbers.append(number)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(numbers) == list(range(1, 401))
