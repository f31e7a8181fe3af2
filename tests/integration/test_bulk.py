"""``integration.bulk``: rows written as one array per column (PostgreSQL fast path)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.integration import bulk, outbox
from motcua.integration.models import OutboxMessage
from tests.testapp.models import ConsumedEffect

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

AT = dt.datetime(2026, 12, 7, 8, 30, tzinfo=dt.UTC)


def _row(message_id: uuid.UUID, topic: str, payload: str, delivered: dt.datetime | None) -> tuple:
    return (
        message_id,
        topic,
        "dossiers.dossier",
        "7",
        payload,
        AT,
        "pending",
        AT,
        0,
        "",
        delivered,
    )


COLUMNS = (
    "message_id",
    "topic",
    "aggregate_type",
    "aggregate_id",
    "payload",
    "created_at",
    "status",
    "available_at",
    "attempts",
    "last_error",
    "delivered_at",
)


def test_rows_of_every_type_come_back_as_written_and_ids_in_order() -> None:
    ids = [uuid.uuid4() for _ in range(300)]
    payload = '{"tên": "Nguyễn Văn A", "số": [1, 2], "trống": null, "dấu": "\\"{},"}'
    rows = [_row(i, f"t.{n}", payload, AT if n % 2 else None) for n, i in enumerate(ids)]
    with transaction.atomic():
        returned = bulk.insert_rows(
            OutboxMessage._meta.db_table, COLUMNS, rows, suffix="RETURNING id, message_id"
        )
    assert [message_id for _pk, message_id in returned] == ids  # the arrays' order
    stored = {m.message_id: m for m in OutboxMessage.objects.all()}
    assert len(stored) == 300
    first, second = stored[ids[0]], stored[ids[1]]
    assert first.payload == {"tên": "Nguyễn Văn A", "số": [1, 2], "trống": None, "dấu": '"{},'}
    assert (first.topic, first.created_at, first.delivered_at) == ("t.0", AT, None)
    assert second.delivered_at == AT


def test_a_column_of_nulls_only_is_written() -> None:
    rows = [_row(uuid.uuid4(), "t", "{}", None) for _ in range(3)]
    with transaction.atomic():
        bulk.insert_rows(OutboxMessage._meta.db_table, COLUMNS, rows)
    assert list(OutboxMessage.objects.values_list("delivered_at", flat=True)) == [None] * 3


def test_the_statement_is_the_same_short_text_for_any_number_of_rows() -> None:
    """psycopg re-parses a query longer than 4,096 characters or with more than 50
    parameters on every call: the arrays keep it under both."""
    statements = []
    for count in (1, 500):
        rows = [_row(uuid.uuid4(), "t", "{}", None) for _ in range(count)]
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            bulk.insert_rows(OutboxMessage._meta.db_table, COLUMNS, rows)
        (query,) = [q["sql"] for q in captured.captured_queries if "INSERT" in q["sql"]]
        statements.append(query.split(" SELECT ")[0])
    assert statements[0] == statements[1]
    assert OutboxMessage.objects.count() == 501


def test_upsert_updates_the_conflicting_rows_and_inserts_the_others() -> None:
    known = uuid.uuid4()
    ConsumedEffect.objects.create(message_id=known, topic="old")
    fresh = uuid.uuid4()
    with transaction.atomic():
        bulk.upsert_models(
            [
                ConsumedEffect(message_id=known, topic="new"),
                ConsumedEffect(message_id=fresh, topic="x"),
            ],
            unique=["message_id"],
            update=["topic"],
        )
    assert dict(ConsumedEffect.objects.values_list("message_id", "topic")) == {
        known: "new",
        fresh: "x",
    }


def test_enqueue_many_sets_the_primary_keys_of_the_messages_in_order() -> None:
    with transaction.atomic():
        messages = outbox.enqueue_many(
            outbox.NewMessage("t", "test", n, {"n": n}) for n in range(120)
        )
    stored = dict(OutboxMessage.objects.values_list("pk", "payload"))
    assert [stored[m.pk] for m in messages] == [{"n": n} for n in range(120)]


def test_a_table_no_model_owns_is_refused() -> None:
    with pytest.raises(LookupError), transaction.atomic():
        bulk.insert_rows("no_such_table", ("a",), [(1,)])
