"""Decision 766 scoreboard at scale, on PostgreSQL (database ``bench_score``).

    python bench/scoreboard_bench.py --dossiers 300000 --facts 1000000 --facts 10000000 [--record] [--drop]

1. Reference data: calendar, the Thanh Hóa demo agencies, officials and catalogue, plus a
   commune People's Committee for every commune of the province (≈ 166 communes, 9
   departments, the province: the units of one provincial installation).
2. ``--dossiers N``: N real dossiers loaded with ``bench/dossiers_load.py`` (COPY); the
   full recomputation of the current year from the dossier tables is timed, and
   ``do_refresh_facts`` (an event: extraction from the system of record + counters) on
   random dossiers of that year.
3. ``--facts N`` (repeatable, increasing totals): synthetic facts are generated in the
   database (``INSERT … SELECT generate_series``, classes and next sweep computed in SQL
   and checked against the Python reference on a sample) up to N in all; the counters of
   each year are rebuilt from the facts (timed: the set-based recomputation "from
   facts"), then the scoring of a league into the stored cards, the public pages (league
   tables, a unit's page, in-process through Django's test client, DEBUG off) and the
   counter path of one event (``apply_facts``) are timed.
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


_VN = "'Asia/Ho_Chi_Minh'"


def _period_end(kind: str) -> str:
    """SQL: the first moment after the receipt's month/quarter/year (Vietnam time)."""
    step = {"month": "1 month", "quarter": "3 months", "year": "1 year"}[kind]
    return (
        f"((date_trunc('{kind}', received_at AT TIME ZONE {_VN}) + interval '{step}')"
        f" AT TIME ZONE {_VN})"
    )


def _class_at(at: str) -> str:
    """SQL mirror of ``facts.classify`` for the synthetic shapes (at most one completed
    pause; default rules: an apology makes the dossier late)."""
    due_then = "(CASE WHEN p_ful <= {x} THEN p_due ELSE due_at END)"
    return f"""(CASE
      WHEN received_at > {at} THEN ''
      WHEN end_at <= {at} THEN CASE
          WHEN extended_at <= {at} THEN 'late'
          WHEN end_at <= {due_then.format(x="end_at")} THEN 'on_time' ELSE 'late' END
      WHEN extended_at <= {at} THEN 'overdue'
      WHEN (CASE WHEN p_req <= {at} AND (p_ful IS NULL OR p_ful > {at}) THEN p_req ELSE {at} END)
          <= {due_then.format(x=at)} THEN 'in_time'
      ELSE 'overdue' END)"""


def _facts_sql() -> str:
    """INSERT … SELECT generate_series: synthetic facts computed in the database (the
    same distribution as the former Python generator), classes and next sweep included."""
    tick = "interval '1 microsecond'"
    at = {k: f"LEAST({_period_end(k)} - {tick}, %(now)s)" for k in ("month", "quarter", "year")}
    moments = [
        "received_at", "end_at", "result_at", "extended_at", "paid_online_at",  # e-result = result
        "first_ack_at", "first_late_ack_at", "rated_at", f"due_at + {tick}",
        f"p_due + {tick}", "p_req", "p_ful",
    ]  # fmt: skip
    horizon = _period_end("year")
    sweep = ", ".join(f"CASE WHEN {m} > %(now)s AND {m} < {horizon} THEN {m} END" for m in moments)
    return f"""
INSERT INTO scoreboard_dossierfact (
  dossier_id, unit_id, parent_unit_id, procedure_code, code, month, received_at, due_at,
  end_at, result_at, e_result_at, extended_at, pauses, channel, is_full_online_eligible,
  is_full_online, has_fees, paid_online_at, result_is_document, has_component_files,
  is_reused, is_from_data_store, is_citizen_data, first_ack_at, first_late_ack_at,
  satisfaction, rated_at, rating_total, class_month, class_quarter, class_year,
  evaluated_at, sweep_at)
WITH r AS (
  SELECT g AS dossier_id, random() < 0.6 AS is_commune, random() AS r_unit, random() AS r_code,
    %(now)s - (random() * %(span)s) * interval '1 second' AS received_at,
    1 + floor(random() * 15) AS due_days, random() AS r_end, 2 + floor(random() * 479) AS end_h,
    random() AS r_res, random() AS r_pause, 1 + floor(random() * 48) AS req_h,
    1 + floor(random() * 72) AS ful_h, random() AS r_fees, random() AS r_rated,
    24 + floor(random() * 577) AS rated_h, random() AS r_ack, random() AS r_channel,
    random() AS r_ext, random() AS r_foe, random() AS r_fo, random() AS r_paid,
    random() AS r_files, random() AS r_citizen, random() AS r_late, random() AS r_sat,
    6 + floor(random() * 13) AS total
  FROM generate_series(%(first)s::bigint, %(last)s::bigint) g
), s AS (
  SELECT r.*,
    CASE WHEN is_commune THEN (%(communes)s::bigint[])[1 + floor(r_unit * %(n_communes)s)::int]
      ELSE (%(departments)s::bigint[])[1 + floor(r_unit * %(n_departments)s)::int] END AS unit_id,
    CASE WHEN is_commune THEN (%(commune_codes)s::text[])[1 + floor(r_code * %(n_cc)s)::int]
      ELSE (%(province_codes)s::text[])[1 + floor(r_code * %(n_pc)s)::int] END AS procedure_code,
    received_at + due_days * interval '1 day' AS due_at,
    CASE WHEN r_end < 0.8 AND received_at + end_h * interval '1 hour' <= %(now)s
      THEN received_at + end_h * interval '1 hour' END AS end_at,
    received_at + req_h * interval '1 hour' AS req,
    received_at + (req_h + ful_h) * interval '1 hour' AS ful,
    r_fees < 0.3 AS has_fees,
    CASE WHEN r_rated < 0.3 AND received_at + rated_h * interval '1 hour' <= %(now)s
      THEN received_at + rated_h * interval '1 hour' END AS rated_at,
    CASE WHEN r_ack < 0.9 THEN received_at + interval '1 minute' END AS first_ack_at
  FROM r
), t AS (
  SELECT s.*,
    CASE WHEN end_at IS NOT NULL AND r_res < 0.9 THEN end_at END AS result_at,
    CASE WHEN r_pause < 0.05 AND ful < %(now)s AND (end_at IS NULL OR ful < end_at)
      THEN req END AS p_req,
    CASE WHEN r_pause < 0.05 AND ful < %(now)s AND (end_at IS NULL OR ful < end_at)
      THEN ful END AS p_ful,
    CASE WHEN r_pause < 0.05 AND ful < %(now)s AND (end_at IS NULL OR ful < end_at)
      THEN due_at + (ful - req) END AS p_due,
    CASE WHEN r_ext < 0.02 THEN received_at + interval '30 hours' END AS extended_at,
    CASE WHEN has_fees AND r_paid < 0.6 THEN received_at + interval '1 hour' END
      AS paid_online_at,
    CASE WHEN first_ack_at IS NOT NULL AND r_late < 0.03
      THEN first_ack_at + interval '1 hour' END AS first_late_ack_at
  FROM s
)
SELECT dossier_id, unit_id, %(province)s, procedure_code, '',
  to_char(received_at AT TIME ZONE {_VN}, 'YYYYMM')::int, received_at, due_at,
  end_at, result_at, result_at, extended_at,
  CASE WHEN p_req IS NULL THEN '[]'::jsonb
    ELSE jsonb_build_array(jsonb_build_array(p_req, p_ful, p_due)) END,
  CASE WHEN r_channel < 0.5 THEN 1 WHEN r_channel < 0.95 THEN 2 ELSE 3 END,
  r_foe < 0.5, r_fo < 0.3, has_fees, paid_online_at, TRUE, r_files < 0.8, FALSE, FALSE,
  r_citizen < 0.4, first_ack_at, first_late_ack_at,
  CASE WHEN rated_at IS NULL THEN '' WHEN r_sat < 0.5 THEN 'very_satisfied'
    WHEN r_sat < 0.9 THEN 'satisfied' ELSE 'dissatisfied' END,
  rated_at, CASE WHEN rated_at IS NOT NULL THEN total END,
  {_class_at(at["month"])}, {_class_at(at["quarter"])}, {_class_at(at["year"])},
  %(now)s, LEAST({sweep})
FROM t
"""


def _check_sample(now: dt.datetime, size: int = 3000) -> int:
    """Check synthetic rows against the Python reference (classes, next sweep); return
    how many were checked. Raises on the first disagreement."""
    from motcua.scoreboard.actions.incremental import _ROW_FIELDS
    from motcua.scoreboard.facts import FactData, classes_of, next_change_at
    from motcua.scoreboard.models import DossierFact

    rows = list(
        DossierFact.objects.filter(dossier_id__gt=SYNTHETIC_BASE)
        .order_by("?")
        .values(*_ROW_FIELDS, "month")[:size]
    )
    for row in rows:
        fact = FactData.from_row(row)
        want = (*classes_of(fact, now), next_change_at(fact, now), fact.month)
        have = (row["class_month"], row["class_quarter"], row["class_year"], row["sweep_at"],
                row["month"])  # fmt: skip
        assert want == have, (row["dossier_id"], want, have)
    return len(rows)


def _add_facts(total: int, now: dt.datetime) -> dict[str, Any]:
    from django.db import connection, transaction

    from motcua.scoreboard.models import DossierFact

    have = DossierFact.objects.count()
    if have >= total:
        return {"facts": have, "added": 0}
    departments, communes, province = _units()
    commune_codes, province_codes = _procedure_codes()
    last = (
        DossierFact.objects.filter(dossier_id__gt=SYNTHETIC_BASE)
        .order_by("-dossier_id")
        .values_list("dossier_id", flat=True)
        .first()
    )
    start_id = (last or SYNTHETIC_BASE) + 1
    params: dict[str, Any] = {
        "now": now,
        "span": int((now - now.replace(year=now.year - 2, month=1, day=1)).total_seconds()),
        "communes": communes,
        "n_communes": len(communes),
        "departments": departments,
        "n_departments": len(departments),
        "commune_codes": commune_codes,
        "n_cc": len(commune_codes),
        "province_codes": province_codes,
        "n_pc": len(province_codes),
        "province": province,
    }
    sql = _facts_sql()
    started = time.perf_counter()
    batch = 1_000_000
    added = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(total % 1000) / 1000])
    while added < total - have:
        n = min(batch, total - have - added)
        first = start_id + added
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, {**params, "first": first, "last": first + n - 1})
        added += n
        print(f"  facts: {have + added:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    load_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE scoreboard_dossierfact")
    checked = _check_sample(now)
    print(f"  loaded in {load_s:.0f} s; {checked} sampled rows agree with Python", flush=True)
    return {"facts": total, "added": added, "load_s": load_s, "checked": checked}


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
            "method": report.method,
            "s": time.perf_counter() - started,
        }
        print(
            f"  recompute {year} ({'facts' if from_facts else 'dossiers'}): {out[year]}", flush=True
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE scoreboard_scorecounter")
    return out


def _refresh(now: dt.datetime, rounds: int = 5) -> dict[str, dict[str, float]]:
    """Scoring one league into the stored cards (what follows a burst of events)."""
    from motcua.scoreboard.actions.scorecards import refresh_league
    from motcua.scoreboard.periods import Period

    year = now.year
    quarter = (now.month - 1) // 3 + 1
    out = {}
    for kind, key in (("commune", f"{year}-Q{quarter}"), ("department", f"{year}-Q{quarter}"),
                      ("commune", str(year - 1))):  # fmt: skip
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            refresh_league(kind, Period.parse(key), now=now)
            timings.append((time.perf_counter() - started) * 1000)
        name = f"score league {kind} {key}"
        out[name] = _percentiles(timings)
        print(f"  {name}: p50 {out[name]['p50']:.1f} ms", flush=True)
    return out


def _pages(
    now: dt.datetime, rounds: int = 150, *, cached: bool = True
) -> dict[str, dict[str, float]]:
    """p50/p95 of each page, reading the stored cards; ``cached=False``: the rendered
    league table is not kept in the cache either."""
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
    in_apply: list[float] = []
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
            started = time.perf_counter()
            apply_facts({dossier_id: new}, existing, now=moment, topic="bench")
            in_apply.append((time.perf_counter() - started) * 1000)

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
    result = {
        "batched_mean": batched,
        "single": _percentiles(singles),
        "apply_facts": _percentiles(in_apply),
    }
    print(
        f"  apply one event: {batched:.3f} ms in batches of {batch}; "
        f"{result['single']['mean']:.3f} ms with a commit each; apply_facts alone "
        f"{result['apply_facts']['mean']:.3f} ms (p95 {result['apply_facts']['p95']:.3f})",
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
    parser.add_argument(
        "--events-only", action="store_true", help="Only time the events on the loaded facts."
    )
    args = parser.parse_args()
    _setup()
    from motcua.kernel import clock

    now = clock.now()
    year = clock.local(now).year
    report: dict[str, Any] = {"now": now.isoformat(), "stages": []}
    if args.events_only:
        report["apply"] = _apply_events(now)
        report["load_average"] = os.getloadavg()
        print(report)
        return 0
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
        stage["refresh"] = _refresh(now)
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
