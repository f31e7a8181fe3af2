"""Decision 766 scoreboard at scale, on PostgreSQL (database ``bench_score``).

    python bench/scoreboard_bench.py --dossiers 300000 --facts 1000000 --facts 10000000 [--record] [--drop]

1. Reference data: calendar, the Thanh Hóa demo agencies, officials and catalogue, plus a
   commune People's Committee for every commune of the province (≈ 166 communes, 9
   departments, the province: the units of one provincial installation).
2. ``--dossiers N``: N real dossiers loaded with ``bench/dossiers_load.py`` (COPY); the
   full recomputation of the current year from the dossier tables is timed, and
   ``do_refresh_facts`` (an event: extraction from the system of record + counters) on
   random dossiers of that year.
3. ``--facts N`` (repeatable, increasing totals): synthetic facts are added with COPY up to
   N in all (loading 10 M full dossiers is out of reach on this machine); the counters of
   each year are rebuilt from the facts (timed: the recomputation "from facts"), then
   the public pages (league tables, a unit's page, in-process through Django's test
   client, DEBUG off) and the counter path of one event (``apply_facts``) are timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "bench_score"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ["DEBUG"] = "0"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Scoreboard (Decision 766)"
SYNTHETIC_BASE = 500_000_000  # dossier ids of synthetic facts (no dossier row behind them)


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def _setup() -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", interactive=False, verbosity=0)
    from motcua.agencies.demo import load_demo as agencies
    from motcua.agencies.models import AdminUnit, Agency, AgencyKind, AgencyLevel
    from motcua.catalog.demo import load_demo as catalog
    from motcua.identity.demo import load_demo as identity
    from motcua.workdays.demo import load_demo as calendar

    for loader in (calendar, agencies, identity, catalog):
        with transaction.atomic():
            loader()
    province_pc = Agency.objects.get(code="000.00.00.H56")
    communes = AdminUnit.objects.filter(scheme="2025", level="commune", parent__code="38").order_by(
        "code"
    )
    have = set(
        Agency.objects.filter(kind=AgencyKind.COMMUNE_PC).values_list("admin_unit_id", flat=True)
    )
    new = [
        Agency(
            code=f"{900 + i // 100:03d}.{i % 100:02d}.00.H56",
            name=f"Ủy ban nhân dân {unit.name[:1].lower()}{unit.name[1:]}",
            name_folded=unit.name.lower(),
            kind=AgencyKind.COMMUNE_PC,
            level=AgencyLevel.COMMUNE,
            parent=province_pc,
            admin_unit=unit,
        )
        for i, unit in enumerate(u for u in communes if u.pk not in have)
    ]
    Agency.objects.bulk_create(new)
    from motcua.kernel.actors import Actor
    from motcua.scoreboard import actions

    actions.do_sync_units(actor=Actor.system("bench"))


def _load_dossiers(count: int) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dossiers_dossier")
        have = cursor.fetchone()[0]
    if have >= count:
        return {"dossiers": have, "loaded": 0}
    env = {**os.environ, "DATABASE_URL": DB_URL}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "dossiers_load.py"), "--count", str(count - have)],
        env=env,
        check=True,
        cwd=ROOT,
    )
    return {"dossiers": count, "loaded": count - have, "load_s": time.perf_counter() - started}


def _units() -> tuple[list[int], list[int], int]:
    from motcua.scoreboard.models import ScoreUnit

    province = ScoreUnit.objects.get(kind="province").pk
    departments = list(ScoreUnit.objects.filter(kind="department").values_list("pk", flat=True))
    communes = list(ScoreUnit.objects.filter(kind="commune").values_list("pk", flat=True))
    return departments, communes, province


def _procedure_codes() -> tuple[list[str], list[str]]:
    from motcua.catalog.models import ProcedureVersion

    commune, province = [], []
    for code, levels in ProcedureVersion.objects.exclude(state="draft").values_list(
        "code", "levels"
    ):
        (commune if "commune" in (levels or []) else province).append(code)
    return sorted(set(commune)), sorted(set(province))


def _synthetic_fact(
    rng: random.Random, dossier_id: int, now: dt.datetime, refs: dict[str, Any]
) -> Any:
    from motcua.scoreboard.facts import FactData

    is_commune = rng.random() < 0.6
    unit = rng.choice(refs["communes"] if is_commune else refs["departments"])
    code = rng.choice(refs["commune_codes"] if is_commune else refs["province_codes"])
    received = now - dt.timedelta(seconds=rng.randrange(refs["span"]))
    due = received + dt.timedelta(days=rng.randint(1, 15))
    hour = dt.timedelta(hours=1)
    end = received + dt.timedelta(hours=rng.randint(2, 24 * 20)) if rng.random() < 0.8 else None
    if end is not None and end > now:
        end = None
    result = end if end is not None and rng.random() < 0.9 else None
    pauses = []
    if rng.random() < 0.05:
        requested = received + hour * rng.randint(1, 48)
        fulfilled = requested + hour * rng.randint(1, 72)
        if fulfilled < now and (end is None or fulfilled < end):
            pauses = [(requested, fulfilled, due + (fulfilled - requested))]
    has_fees = rng.random() < 0.3
    rated = received + hour * rng.randint(24, 24 * 25) if rng.random() < 0.3 else None
    if rated is not None and rated > now:
        rated = None
    ack = received + dt.timedelta(minutes=1) if rng.random() < 0.9 else None
    return FactData(
        dossier_id=dossier_id,
        unit_id=unit,
        parent_unit_id=refs["province"],
        procedure_code=code,
        code="",
        received_at=received,
        due_at=due,
        channel=rng.choices([1, 2, 3], [50, 45, 5])[0],
        end_at=end,
        result_at=result,
        e_result_at=result,
        extended_at=received + hour * 30 if rng.random() < 0.02 else None,
        pauses=pauses,
        is_full_online_eligible=rng.random() < 0.5,
        is_full_online=rng.random() < 0.3,
        has_fees=has_fees,
        paid_online_at=received + hour if has_fees and rng.random() < 0.6 else None,
        result_is_document=True,
        has_component_files=rng.random() < 0.8,
        is_citizen_data=rng.random() < 0.4,
        first_ack_at=ack,
        first_late_ack_at=ack + hour if ack is not None and rng.random() < 0.03 else None,
        satisfaction=rng.choices(["very_satisfied", "satisfied", "dissatisfied"], [50, 40, 10])[0]
        if rated
        else "",
        rated_at=rated,
        rating_total=rng.randint(6, 18) if rated else None,
    )


def _add_facts(total: int, now: dt.datetime) -> dict[str, Any]:
    from django.db import connection, transaction

    from motcua.scoreboard.actions.recompute import _FACT_COLUMNS, _copy, _fact_row
    from motcua.scoreboard.models import DossierFact

    have = DossierFact.objects.count()
    if have >= total:
        return {"facts": have, "added": 0}
    departments, communes, province = _units()
    commune_codes, province_codes = _procedure_codes()
    refs = {
        "departments": departments,
        "communes": communes,
        "province": province,
        "commune_codes": commune_codes,
        "province_codes": province_codes,
        "span": int((now - now.replace(year=now.year - 2, month=1, day=1)).total_seconds()),
    }
    last = (
        DossierFact.objects.filter(dossier_id__gt=SYNTHETIC_BASE)
        .order_by("-dossier_id")
        .values_list("dossier_id", flat=True)
        .first()
    )
    start_id = (last or SYNTHETIC_BASE) + 1
    rng = random.Random(total)
    started = time.perf_counter()
    batch = 100_000
    added = 0
    while added < total - have:
        n = min(batch, total - have - added)
        rows = [
            _fact_row(_synthetic_fact(rng, start_id + added + i, now, refs), now) for i in range(n)
        ]
        with transaction.atomic():
            _copy(DossierFact, _FACT_COLUMNS, rows)
        added += n
        print(f"  facts: {have + added:,}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE scoreboard_dossierfact")
    return {"facts": total, "added": added, "load_s": time.perf_counter() - started}


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "mean": statistics.fmean(ordered),
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, int(len(ordered) * 0.95) - 1)],
    }


def _recompute(
    years: list[int], *, from_facts: bool, now: dt.datetime
) -> dict[int, dict[str, Any]]:
    from django.db import connection

    from motcua.kernel.actors import Actor
    from motcua.scoreboard import actions

    out = {}
    for year in years:
        started = time.perf_counter()
        report = actions.do_recompute_year(
            year, actor=Actor.system("bench"), now=now, from_facts=from_facts
        )
        out[year] = {
            "facts": report.facts,
            "rows": report.counter_rows,
            "s": time.perf_counter() - started,
        }
        print(
            f"  recompute {year} ({'facts' if from_facts else 'dossiers'}): {out[year]}", flush=True
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE scoreboard_scorecounter")
    return out


def _pages(
    now: dt.datetime, rounds: int = 150, *, cached: bool = True
) -> dict[str, dict[str, float]]:
    """p50/p95 of each page; ``cached=False`` computes every league table at every request."""
    from django.test import Client, override_settings

    if not cached:
        with override_settings(SCOREBOARD_CACHE_SECONDS=0):
            return _pages(now, rounds=rounds // 3, cached=True)

    from motcua.scoreboard.models import ScoreUnit

    client = Client()
    year = now.year
    quarter = (now.month - 1) // 3 + 1
    commune = ScoreUnit.objects.filter(kind="commune").order_by("pk")[7].code
    urls = {
        "league departments (live quarter)": f"/chi-so-phuc-vu/?ky={year}-Q{quarter}&loai=department",
        "league communes (live quarter)": f"/chi-so-phuc-vu/?ky={year}-Q{quarter}&loai=commune",
        "league communes (last year)": f"/chi-so-phuc-vu/?ky={year - 1}&loai=commune",
        "unit page: province (live year)": f"/chi-so-phuc-vu/don-vi/000.00.00.H56/?ky={year}",
        "unit page: a commune (live quarter)": f"/chi-so-phuc-vu/don-vi/{commune}/?ky={year}-Q{quarter}",
        "API league communes": f"/api/v1/scoreboard/periods/{year}-Q{quarter}/units?kind=commune",
    }
    out = {}
    for name, url in urls.items():
        for _ in range(10):
            assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        out[name] = _percentiles(timings)
        print(f"  {name}: p50 {out[name]['p50']:.1f} ms, p95 {out[name]['p95']:.1f} ms", flush=True)
    return out


def _apply_events(now: dt.datetime, count: int = 2000, batch: int = 100) -> dict[str, Any]:
    """The counter path of one event (a fact changes: rated, a late acknowledgement),
    ``apply_facts`` — as the relay runs it: ``batch`` events per transaction, each in its
    own savepoint; and, for comparison, one transaction (one commit) per event."""
    from dataclasses import replace

    from django.db import transaction

    from motcua.scoreboard.actions.incremental import _lock_facts, apply_facts
    from motcua.scoreboard.facts import FactData
    from motcua.scoreboard.models import DossierFact

    rng = random.Random(7)
    top = DossierFact.objects.order_by("-dossier_id").values_list("dossier_id", flat=True).first()
    ids = [rng.randint(SYNTHETIC_BASE + 1, top or SYNTHETIC_BASE + 1) for _ in range(count)]
    moment = now

    def one(dossier_id: int) -> None:
        nonlocal moment
        moment += dt.timedelta(milliseconds=1)
        with transaction.atomic():
            existing = _lock_facts([dossier_id])
            row = existing.get(dossier_id)
            if row is None:
                return
            fact = FactData.from_row(row)
            if fact.rated_at is None:
                new = replace(fact, satisfaction="satisfied", rated_at=moment, rating_total=15)
            else:
                new = replace(fact, first_late_ack_at=moment)
            apply_facts({dossier_id: new}, existing, now=moment, topic="bench")

    started = time.perf_counter()
    for first in range(0, count // 2, batch):
        with transaction.atomic():
            for dossier_id in ids[first : first + batch]:
                one(dossier_id)
    batched = (time.perf_counter() - started) * 1000 / (count // 2)
    singles = []
    for dossier_id in ids[count // 2 :]:
        started = time.perf_counter()
        one(dossier_id)
        singles.append((time.perf_counter() - started) * 1000)
    result = {"batched_mean": batched, "single": _percentiles(singles)}
    print(
        f"  apply one event: {batched:.3f} ms in batches of {batch}; "
        f"{result['single']['mean']:.3f} ms with a commit each",
        flush=True,
    )
    return result


def _refresh_from_dossiers(now: dt.datetime, count: int = 1000) -> dict[str, float]:
    """A dossier event end to end: lock, extract from the dossier tables, diff, counters."""
    from motcua.dossiers.models import Dossier
    from motcua.kernel.actors import Actor
    from motcua.scoreboard import actions

    start = now.replace(month=1, day=1, hour=0, minute=0)
    ids = list(
        Dossier.objects.filter(received_at__gte=start)
        .order_by("?")
        .values_list("pk", flat=True)[:count]
    )
    actor = Actor.system("bench")
    timings = []
    moment = now
    for dossier_id in ids:
        moment += dt.timedelta(milliseconds=1)
        started = time.perf_counter()
        actions.do_refresh_facts([dossier_id], actor=actor, topic="bench", now=moment)
        timings.append((time.perf_counter() - started) * 1000)
    result = _percentiles(timings)
    print(
        f"  refresh one dossier (extraction + counters): mean {result['mean']:.3f} ms", flush=True
    )
    return result


def _sizes() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM scoreboard_dossierfact), (SELECT COUNT(*) FROM scoreboard_scorecounter),"
            " pg_size_pretty(pg_total_relation_size('scoreboard_dossierfact')),"
            " pg_size_pretty(pg_total_relation_size('scoreboard_scorecounter')),"
            " (SELECT COUNT(*) FROM scoreboard_scoreunit), (SELECT COUNT(*) FROM dossiers_dossier)"
        )
        facts, counters, facts_size, counters_size, units, dossiers = cursor.fetchone()
    return {
        "facts": facts,
        "counters": counters,
        "facts_size": facts_size,
        "counters_size": counters_size,
        "units": units,
        "dossiers": dossiers,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=0)
    parser.add_argument("--facts", type=int, action="append", default=[])
    parser.add_argument("--drop", action="store_true", help="Drop the database at the end.")
    args = parser.parse_args()
    _setup()
    from motcua.kernel import clock

    now = clock.now()
    year = clock.local(now).year
    report: dict[str, Any] = {"now": now.isoformat(), "stages": []}
    if args.dossiers:
        print(f"loading {args.dossiers:,} dossiers …", flush=True)
        stage: dict[str, Any] = {"kind": "dossiers", "load": _load_dossiers(args.dossiers)}
        stage["recompute"] = _recompute([year], from_facts=False, now=now)
        stage["refresh"] = _refresh_from_dossiers(now)
        stage["sizes"] = _sizes()
        report["stages"].append(stage)
    for total in args.facts:
        print(f"facts up to {total:,} …", flush=True)
        stage = {"kind": "facts", "load": _add_facts(total, now)}
        stage["recompute"] = _recompute([year - 2, year - 1, year], from_facts=True, now=now)
        stage["sizes"] = _sizes()
        stage["pages"] = _pages(now)
        stage["pages_uncached"] = _pages(now, cached=False)
        stage["apply"] = _apply_events(now)
        stage["load_average"] = os.getloadavg()
        report["stages"].append(stage)
    print(report)
    if args.drop:
        from django.db import connections

        connections.close_all()
        _psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
