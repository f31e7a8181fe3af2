"""Load N synthetic dossiers and their audit events into PostgreSQL, fast (COPY).

Run against a database that is migrated and holds the demo agencies, officials and
catalogue (``bench/dossiers_bench.py`` prepares one; or ``DATABASE_URL=… python
bench/dossiers_load.py --count 1000000``). Dossiers are spread over the demo province's
desks and agencies, received over the last three years (appointment dates computed by
``workdays``), mostly returned, the rest in every processing state; a share of those at
Sở Tư pháp is assigned to the demo handler ``thuly.tuphap`` so that the worklists are
realistic. Each dossier gets three audit events (submit, receive, transfer). The audit
hashes are random: this data is for timing reads, not for ``motcua audit verify``.

Codes are dated before today, so actions run on the same database afterwards never
collide with them (their numbering starts from the day's sequence row).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

# (state, national status, weight); the rest of the columns follow from the state.
STATES = [
    ("returned", 10, 62),
    ("result_ready", 9, 5),
    ("transferred", 4, 5),
    ("in_process", 4, 12),
    ("under_review", 4, 4),
    ("awaiting_signature", 4, 3),
    ("supplement_requested", 5, 3),
    ("awaiting_payment", 6, 1),
    ("received", 2, 2),
    ("stopped", 8, 1),
    ("withdrawn", 7, 1),
    ("refused", 3, 1),
]
FIRST_NAMES = ["Nguyễn Văn", "Trần Thị", "Lê Văn", "Phạm Thị", "Hoàng Văn", "Vũ Thị", "Đỗ Văn"]
LAST_NAMES = ["An", "Bình", "Cường", "Dung", "Em", "Giang", "Hải", "Lan", "Minh", "Ngọc"]


def _setup() -> None:
    import django

    django.setup()


def _references() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from motcua.agencies.models import DESK_KINDS, Agency
    from motcua.catalog.models import ProcedureCase
    from motcua.catalog.selectors import versions_in_force

    versions = list(versions_in_force().only("id", "code"))
    cases = {
        case.version_id: case
        for case in ProcedureCase.objects.filter(version__in=versions).order_by("-position")
    }
    agencies = list(Agency.objects.only("id", "code", "kind"))
    desks = [a for a in agencies if a.kind in DESK_KINDS]
    processing = [a for a in agencies if a.kind not in DESK_KINDS]
    justice = next(a for a in agencies if a.code == "000.00.12.H56")
    handler = get_user_model()._default_manager.get(username="thuly.tuphap")
    return {
        "procedures": [(v.pk, v.code, cases[v.pk]) for v in versions if v.pk in cases],
        "desks": desks,
        "processing": processing,
        "justice": justice,
        "handler_id": handler.pk,
    }


def _columns() -> list[str]:
    from motcua.dossiers.models import Dossier

    return [f.column for f in Dossier._meta.concrete_fields]


def generate_rows(count: int, first_id: int, refs: dict[str, Any], seed: int) -> Any:
    """Yield (dossier row dict, [audit rows]) for ``count`` dossiers."""
    from motcua import workdays
    from motcua.kernel import clock
    from motcua.workdays.schedule import default_schedule

    rng = random.Random(seed)
    schedule = default_schedule()
    today = clock.local(clock.now()).date()
    start = today - dt.timedelta(days=3 * 365)
    weights = [w for _s, _n, w in STATES]
    sequence: dict[tuple[str, dt.date], int] = {}
    procedures = refs["procedures"]
    desks, processing, justice = refs["desks"], refs["processing"], refs["justice"]
    for offset in range(count):
        pk = first_id + offset
        state, national, _w = rng.choices(STATES, weights)[0]
        version_id, procedure_code, case = procedures[rng.randrange(len(procedures))]
        desk = desks[rng.randrange(len(desks))]
        agency = justice if rng.random() < 0.2 else processing[rng.randrange(len(processing))]
        day = start + dt.timedelta(days=rng.randrange((today - start).days))
        received_at = dt.datetime.combine(
            day, dt.time(7 + rng.randrange(9), rng.randrange(60)), clock.VN_TZ
        ).astimezone(dt.UTC)
        received = state != "refused"
        due_at = (
            workdays.compute_due_at(received_at, int(case.time_limit), "working_days", schedule)
            if received
            else None
        )
        code = None
        if received:
            key = (desk.code, clock.local(received_at).date())
            sequence[key] = sequence.get(key, 0) + 1
            code = f"{desk.code}-{key[1]:%y%m%d}-{sequence[key]:04d}"
        finished = state in ("returned", "result_ready", "stopped", "withdrawn")
        finished_at = (
            (due_at - dt.timedelta(hours=rng.randrange(1, 60))) if finished and due_at else None
        )
        at_desk = state in ("received", "result_ready", "returned", "refused")
        assignee = (
            refs["handler_id"]
            if agency is justice
            and state in ("in_process", "under_review", "awaiting_signature")
            and rng.random() < 0.5
            else None
        )
        row = {
            "id": pk,
            "code": code,
            "reference": secrets.token_hex(6).upper(),
            "procedure_version_id": version_id,
            "case_id": case.pk,
            "procedure_code": procedure_code,
            "receiving_desk_id": desk.pk,
            "competent_agency_id": agency.pk,
            "current_agency_id": desk.pk if at_desk else agency.pk,
            "assignee_id": assignee,
            "state": state,
            "national_status": national,
            "channel": rng.choice(["direct", "direct", "online_dvcqg", "postal_public"]),
            "return_channel": "desk",
            "applicant_kind": "person",
            "applicant_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "applicant_id_type": "personal_id12",
            "applicant_id_number": f"038{rng.randrange(10**9):09d}",
            "applicant_birth_year": None,
            "applicant_phone": f"09{rng.randrange(10**8):08d}",
            "applicant_email": "",
            "applicant_address": "Tỉnh Thanh Hóa",
            "applicant_user_id": None,
            "is_eid_authenticated": False,
            "submitter_kind": "self",
            "submitter_name": "",
            "submitter_id_type": "",
            "submitter_id_number": "",
            "submitter_phone": "",
            "authorisation_note": "",
            "submitted_at": received_at,
            "received_at": received_at if received else None,
            "due_at": due_at,
            "original_due_at": due_at,
            "finished_at": finished_at,
            "returned_at": finished_at if state == "returned" else None,
            "paused_working_time": dt.timedelta(0),
            "supplement_count": 1 if state == "supplement_requested" else 0,
            "is_extended": False,
            "deadline_warned_at": None,
            "rule_set": "tt03_2025" if day >= dt.date(2025, 9, 15) else "tt01_2018",
            "is_inter_agency": False,
            "route": json.dumps(
                [{"agency_id": agency.pk, "agency_name": "", "share_us": 0, "steps": []}]
            ),
            "route_position": 0,
            "fees": "[]",
            "fee_total": 0,
            "is_payment_at_collection": False,
            "paid_at": None,
            "payment_reference": "",
            "results_issued": 1 if finished and state != "stopped" else 0,
            "result_id": None,
            "delivery_note": "",
            "application_form": "{}",
            "created_at": received_at,
        }
        events = []
        for seq, (action, to, national_code) in enumerate(
            [
                ("submit", "submitted", 1),
                ("receive", "received", 2),
                ("transfer", "transferred", 4),
            ],
            start=1,
        ):
            events.append(
                (
                    received_at + dt.timedelta(minutes=seq),
                    "official:1",
                    "Cán bộ",
                    f"dossiers.dossier.{action}",
                    "dossiers.dossier",
                    str(pk),
                    seq,
                    json.dumps({"to": to, "national_status": national_code}),
                    secrets.token_hex(32) if seq > 1 else "",
                    secrets.token_hex(32),
                )
            )
        yield row, events


def load(count: int, *, seed: int = 20251006, batch: int = 50_000) -> dict[str, float]:
    """COPY ``count`` dossiers (and 3 audit events each); return timings in seconds."""
    from django.db import connection

    refs = _references()
    columns = _columns()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM dossiers_dossier")
        first_id = cursor.fetchone()[0]
    started = time.perf_counter()
    rows = generate_rows(count, first_id, refs, seed)
    audit_columns = (
        "occurred_at, actor_ref, actor_name, action, aggregate_type, aggregate_id, seq, data, "
        "prev_hash, hash"
    )
    done = 0
    raw = connection.connection
    while done < count:
        size = min(batch, count - done)
        chunk = [next(rows) for _ in range(size)]
        with raw.cursor() as cur:
            with cur.copy(f"COPY dossiers_dossier ({', '.join(columns)}) FROM STDIN") as copy:
                for row, _events in chunk:
                    copy.write_row([row[c] for c in columns])
            with cur.copy(f"COPY audit_auditevent ({audit_columns}) FROM STDIN") as copy:
                for _row, events in chunk:
                    for event in events:
                        copy.write_row(event)
        raw.commit()
        done += size
        print(f"  {done:,} dossiers", flush=True)
    copied = time.perf_counter() - started
    started = time.perf_counter()
    with raw.cursor() as cur:
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('dossiers_dossier', 'id'), "
            "(SELECT MAX(id) FROM dossiers_dossier))"
        )
    raw.commit()
    # VACUUM, not only ANALYZE: rows just COPYed have no hint bits and no visibility map,
    # so the first reads write and index-only scans visit the heap; a live database is
    # kept vacuumed by autovacuum. (Outside a transaction: autocommit.)
    raw.autocommit = True
    try:
        with raw.cursor() as cur:
            cur.execute("VACUUM (ANALYZE) dossiers_dossier")
            cur.execute("VACUUM (ANALYZE) audit_auditevent")
    finally:
        raw.autocommit = False
    return {"copy": copied, "analyze": time.perf_counter() - started}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20251006)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("DATABASE_URL must point to PostgreSQL", file=sys.stderr)
        return 2
    _setup()
    timings = load(args.count, seed=args.seed)
    rate = args.count / timings["copy"]
    print(
        f"loaded {args.count:,} dossiers and {3 * args.count:,} audit events in "
        f"{timings['copy']:.1f} s ({rate:,.0f} dossiers/s), VACUUM (ANALYZE) "
        f"{timings['analyze']:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
