"""Benchmark of online payment and notifications: platform notifications handled per
second, and notifications sent per second over SMTP and the SMS gateway's HTTP API.

Runs on PostgreSQL (``DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/bench_pay``;
the database is created if missing and flushed: use a database of your own). Builds the
dossier tests' reference world, then ``--dossiers`` dossiers (default 200) received,
transferred, assigned and asked to pay through the actions (form PDFs replaced by a blank
page, as in the tests: this measures payment, not WeasyPrint). Then, in one process:

1. the platform's signed notifications, one per dossier (``do_handle_notification``: the
   checks, the dossier's transition, the order, the contract outbox message);
2. the same notifications replayed (all refused as already recorded) and forged (bad
   signature);
3. the relay delivering every outbox message of the above to every consumer (the
   notifications are planned there: one row per channel);
4. delivery of every planned notification: e-mail over SMTP to the mail catcher and SMS
   over HTTP to the fake gateway, both on loopback in threads of this process.

Figures are wall-clock rates (the machine is shared; the load average is printed).
``--record`` rewrites the "## Online payment and notifications" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import platform as host
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_pay"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402
import psycopg  # noqa: E402


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


ensure_database(os.environ["DATABASE_URL"])
django.setup()
logging.getLogger("werkzeug").setLevel(logging.ERROR)

from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from tests.dossiers.conftest import blank_pdf  # noqa: E402
from tests.dossiers.factories import PERSONAL_ID, chain_submission, make_world  # noqa: E402

from motcua.documents import rendering  # noqa: E402
from motcua.dossiers import actions as dossier_actions  # noqa: E402
from motcua.dossiers.actions import ApplicantData  # noqa: E402
from motcua.integration.fakes import FakeServer  # noqa: E402
from motcua.integration.relay import relay_batch  # noqa: E402
from motcua.kernel.actors import Actor  # noqa: E402
from motcua.notifications.actions import do_send_due_notifications  # noqa: E402
from motcua.notifications.fakes import FakeSmsGateway, MailCatcher, free_port  # noqa: E402
from motcua.notifications.models import Notification  # noqa: E402
from motcua.payments import platform  # noqa: E402
from motcua.payments.actions import (  # noqa: E402
    do_handle_notification,
    do_open_payment_order,
    do_start_payment,
)
from motcua.payments.errors import NotificationRejected  # noqa: E402
from motcua.payments.models import PaymentAttempt  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Online payment and notifications"


def build(count: int) -> list[PaymentAttempt]:
    world = make_world()
    a = world.actors
    attempts = []
    for index in range(count):
        applicant = ApplicantData(
            name="Nguyễn Thị Lan", id_number=PERSONAL_ID, birth_year=2003, is_female=True,
            phone=f"09{index:08d}", email=f"nguoinop{index}@example.vn", address="Thanh Hóa",
        )  # fmt: skip
        dossier = dossier_actions.do_receive_at_desk(
            world.desk, actor=a["desk"], submission=chain_submission(world, applicant=applicant)
        )
        for document in dossier.documents.all():
            if document.needs_digitisation:
                dossier_actions.do_mark_document_exempt(
                    document, actor=a["desk"], exemption="agency_output"
                )
        dossier_actions.do_transfer_dossier(dossier, actor=a["desk"])
        dossier_actions.do_assign_dossier(
            dossier, actor=a["justice_reviewer"], assignee_id=a["justice_handler"].user_id or 0
        )
        dossier_actions.do_request_payment(dossier, actor=a["justice_handler"])
        order = do_open_payment_order(dossier, actor=Actor.anonymous(), granted={dossier.pk})
        attempts.append(
            do_start_payment(order, actor=Actor.anonymous(), granted={dossier.pk}).attempt
        )
    return attempts


def signed_notification(
    attempt: PaymentAttempt, number: int, secret: str, merchant: str
) -> dict[str, str]:
    fields = {
        "merchant": merchant, "reference": attempt.reference, "amount": str(attempt.amount),
        "currency": "VND", "transaction_no": str(20_000_000 + number), "response_code": "00",
        "pay_date": "20251006091500",
    }  # fmt: skip
    return {**fields, "signature": platform.sign(fields, secret)}


def rate(label: str, count: int, seconds: float, rows: list[tuple[str, int, float]]) -> None:
    print(f"{label:<60} {count:>6} in {seconds:6.2f} s = {count / seconds:8.1f}/s", flush=True)
    rows.append((label, count, seconds))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    rendering.html_to_pdf = blank_pdf  # type: ignore[assignment]
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    from django.conf import settings

    started = time.perf_counter()
    attempts = build(args.dossiers)
    setup = time.perf_counter() - started
    print(f"setup: {len(attempts)} dossiers awaiting payment in {setup:.1f} s", flush=True)
    secret, merchant = settings.PAYMENT_SECRET_KEY, settings.PAYMENT_MERCHANT_ID
    notes = [signed_notification(a, i, secret, merchant) for i, a in enumerate(attempts)]
    rows: list[tuple[str, int, float]] = []

    t = time.perf_counter()
    for fields in notes:
        do_handle_notification(fields)
    rate(
        "notifications applied (dossier paid, order settled, event)",
        len(notes),
        time.perf_counter() - t,
        rows,
    )
    refused = 0
    t = time.perf_counter()
    for fields in notes:
        try:
            do_handle_notification(fields)
        except NotificationRejected:
            refused += 1
    rate(
        "replayed notifications refused (already recorded)", refused, time.perf_counter() - t, rows
    )
    forged = [{**fields, "signature": "0" * 128} for fields in notes]
    refused = 0
    t = time.perf_counter()
    for fields in forged:
        try:
            do_handle_notification(fields)
        except NotificationRejected:
            refused += 1
    rate("forged notifications refused (bad signature)", refused, time.perf_counter() - t, rows)

    # Receipts are signed by a consumer of payments.order.paid; keep them out of the figures.
    from motcua.integration.consumers import unregister

    unregister("payments.issue_receipt")
    t = time.perf_counter()
    relayed = 0
    while claimed := relay_batch().claimed:
        relayed += claimed
    planned = Notification.objects.filter(status="pending").count()
    rate(
        f"outbox messages relayed to every consumer ({planned} notification rows planned)",
        relayed,
        time.perf_counter() - t,
        rows,
    )

    catcher = MailCatcher(smtp_port=free_port()).start_smtp()
    gateway = FakeSmsGateway(token=settings.SMS_GATEWAY_TOKEN)
    smtp = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
        "notifications": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": catcher.smtp_port, "timeout": 10},
        },
    }
    with FakeServer(gateway) as server, override_settings(SMS_GATEWAY_URL=server.url, MAILERS=smtp):
        emails = Notification.objects.filter(channel="email", status="pending").count()
        Notification.objects.filter(channel="sms", status="pending").update(
            next_attempt_at=dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
        )
        t = time.perf_counter()
        while do_send_due_notifications(limit=500).due:
            pass
        rate(
            "e-mails sent over SMTP (loopback catcher, Form 01 attached when received)",
            emails,
            time.perf_counter() - t,
            rows,
        )
        sms = Notification.objects.filter(channel="sms", status="pending").update(
            next_attempt_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        )
        t = time.perf_counter()
        while do_send_due_notifications(limit=500).due:
            pass
        rate("SMS sent over HTTP (loopback fake gateway)", sms, time.perf_counter() - t, rows)
    catcher.stop_smtp()
    assert len(catcher.messages) == emails, (len(catcher.messages), emails)
    assert len(gateway.messages) == sms, (len(gateway.messages), sms)

    load = os.getloadavg()[0]
    print(f"1-minute load average: {load:.2f}")
    if args.record:
        record(rows, args.dossiers, setup, load)
    return 0


def record(rows: list[tuple[str, int, float]], dossiers: int, setup: float, load: float) -> None:
    lines = [
        HEADING,
        "",
        f"`python bench/payments_bench.py --record`, {dt.date.today():%Y-%m-%d}. Machine: 2 cores, "
        f"Python {host.python_version()}, PostgreSQL on the same host (database `bench_pay`), "
        f"one process, wall clock; the machine was shared with other engineers (1-minute load "
        f"average {load:.2f} at the end). Data: {dossiers} dossiers of the tests' inter-agency "
        f"procedure (75,000 đ fee), each in status 6 with an order and a started attempt "
        f"(built in {setup:.0f} s, form PDFs replaced by a blank page). No target is set for this part.",
        "",
        "| operation | count | seconds | per second |",
        "|---|---:|---:|---:|",
        *[
            f"| {label} | {count:,} | {seconds:.2f} | {count / seconds:,.1f} |"
            for label, count, seconds in rows
        ],
        "",
        "Each applied notification is one transaction with about 20 statements (attempt "
        "compare-and-set, order lock, dossier transition with its audit row and outbox message, "
        "order transition with its own, the contract message). Sends are sequential in one "
        "process; the `db_worker` runs one task at a time per worker process, so the sending "
        "rate scales with the number of workers. Receipts (signing ≈ 84 ms CPU each, see "
        "Documents) were left out.",
        "",
    ]
    text = RESULTS.read_text(encoding="utf-8")
    section = "\n".join(lines)
    pattern = re.compile(re.escape(HEADING) + r".*?(?=\n## |\Z)", re.S)
    text = (
        pattern.sub(section.rstrip() + "\n", text)
        if HEADING in text
        else text.rstrip() + "\n\n" + section
    )
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
