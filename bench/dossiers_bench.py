"""Benchmark of the dossier lifecycle on PostgreSQL: worklists and list API with 1,000,000
dossiers, and state transitions per second through the actions.

Creates a scratch database (``--keep-db`` keeps it, ``--reuse`` reuses a loaded one),
migrates it, loads the demo agencies, officials and catalogue, then
``bench/dossiers_load.py`` COPYs ``--count`` synthetic dossiers with three audit events
each. It serves the app with gunicorn (DEBUG off, 4 sync workers) on loopback and
measures, with a logged-in official's session, p50/p95 of the worklists and of the list
API (page of 50, one agency; first pages and keyset pages further down) with 1 client,
and p50/p95 with 16 concurrent clients. Then it times the write path: one process (then
two at once) takes fresh dossiers through register → receive → transfer → assign →
review → approve → sign → payment → return, every transition audited and outboxed;
form rendering and result signing are switched off there (they are measured by
``bench/documents_bench.py``). ``--record`` rewrites the "## Dossiers" section of
``bench/RESULTS.md``.

``--writes-only`` skips the 1 M load and the reads: it prepares a database with the
demo data alone (``--database``, reused with ``--reuse``) and runs the write path with
one and two processes (synchronous commit on; ``--commit-off`` adds the runs with
``synchronous_commit off``); with ``--record`` it replaces only the write table of the
section. ``--profile FILE`` runs one process under cProfile and writes its statistics
(``python -m pstats FILE``). Every write run prints its SQL statements per transition.
Targets: worklist and list p50 ≤ 20 ms, p95 ≤ 60 ms at 1 client, p50 ≤ 80 ms at 16
clients; ≥ 150 transitions/s in one process.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Dossiers"
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "motcua_bench_dossiers"
WORKERS = 4

SESSION_CODE = """
import django; django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
for name in {names!r}:
    user = get_user_model()._default_manager.get(username=name)
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]  # what a login records
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    print(name, s.session_key)
"""

DEMO_CODE = """
import django; django.setup()
from django.db import transaction
from motcua.workdays.demo import load_demo as calendar
from motcua.agencies.demo import load_demo as agencies
from motcua.identity.demo import load_demo as identity
from motcua.catalog.demo import load_demo as catalog
for loader in (calendar, agencies, identity, catalog):
    with transaction.atomic():
        loader()
"""

WRITE_CODE = """
import sys, time
import django; django.setup()
from django.contrib.auth import get_user_model
from motcua.agencies.models import Agency
from motcua.dossiers import actions, paperwork
from motcua.dossiers.demo import _submission
from motcua.dossiers.enums import DigitisationExemption
from motcua.dossiers.models import DossierDocument
from motcua.identity.selectors import get_actor

# Forms and results are measured by bench/documents_bench.py, not here.
paperwork.issue_form = lambda *args, **kwargs: None
paperwork.issue_result = lambda *args, **kwargs: None

count, worker, durable = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
profile_path = sys.argv[4] if len(sys.argv) > 4 else ""
from django.db import connection
if not durable:
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
statements = [0]
def _count_statement(execute, sql, params, many, context):
    statements[0] += 1
    return execute(sql, params, many, context)
connection.execute_wrappers.append(_count_statement)
people = {{k: get_actor(get_user_model()._default_manager.get(username=v)) for k, v in {people!r}.items()}}
desk = Agency.objects.get(code="000.01.01.H56")
submission = _submission("2.000488", 1, "Nguyễn Văn Bench", "038085001234", 1985, False, "0912000001")
def lifecycle(d):
    # Take dossier d from registered to returned; return the transitions taken.
    actions.do_receive_dossier(d, actor=people["desk"])
    for doc in DossierDocument.objects.filter(dossier=d):
        if doc.needs_digitisation:
            actions.do_mark_document_exempt(doc, actor=people["desk"], exemption=DigitisationExemption.AGENCY_OUTPUT)
    actions.do_transfer_dossier(d, actor=people["desk"])
    actions.do_assign_dossier(d, actor=people["reviewer"], assignee_id=people["handler"].user_id)
    actions.do_submit_for_review(d, actor=people["handler"])
    actions.do_approve_dossier(d, actor=people["reviewer"])
    actions.do_sign_result(d, actor=people["signer"])
    taken = 6
    if d.state == "result_awaiting_payment":
        actions.do_record_payment(d, actor=people["desk"], reference="BL")
        taken += 1
    actions.do_return_result(d, actor=people["desk"])
    return taken + 1
# Warm up: caches (the working-day calendar), imports, first queries of every action.
lifecycle(actions.do_register_submission(desk, actor=people["desk"], submission=submission))
transitions = 0
statements[0] = 0
if profile_path:
    import cProfile
    profiler = cProfile.Profile()
    profiler.enable()
start, cpu = time.perf_counter(), time.process_time()
for _ in range(count):
    d = actions.do_register_submission(desk, actor=people["desk"], submission=submission)
    transitions += lifecycle(d)
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
if profile_path:
    profiler.disable()
    profiler.dump_stats(profile_path)
print(f"RESULT {{transitions}} {{count}} {{elapsed:.3f}} {{statements[0]}} {{cpu:.3f}}")
"""

PEOPLE = {
    "desk": "tiepnhan.tinh",
    "handler": "thuly.tuphap",
    "reviewer": "xemxet.tuphap",
    "signer": "kyduyet.tuphap",
}


def _run(args: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, text=True, **kwargs)


def _database_exists(name: str = DB_NAME) -> bool:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None


def _recreate_database(name: str = DB_NAME) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_database(name: str = DB_NAME) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _count(db_url: str) -> int:
    with psycopg.connect(db_url) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM dossiers_dossier").fetchone()[0])  # type: ignore[index]


def _sessions(env: dict[str, str]) -> dict[str, str]:
    names = ["thuly.tuphap", "xemxet.tuphap", "kyduyet.tuphap", "tiepnhan.tinh"]
    out = _run([PYTHON, "-c", SESSION_CODE.format(names=names)], env, capture_output=True).stdout
    return dict(line.split() for line in out.strip().splitlines())


def _wait_for(client: httpx.Client, url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if client.get(url).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server did not answer {url}")


def _percentiles(timings: list[float]) -> dict[str, float]:
    timings = sorted(timings)
    return {
        "n": len(timings),
        "p50": statistics.median(timings),
        "p95": timings[max(0, int(len(timings) * 0.95) - 1)],
    }


def _get(client: httpx.Client, url: str) -> tuple[float, dict[str, Any]]:
    start = time.perf_counter()
    response = client.get(url)
    took = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code} {response.text[:200]}")
    if response.headers.get("content-type", "").startswith("text/html"):
        # A worklist page: its "next page" link stands for the API's cursor.
        found = re.search(r'href="\?([^"]+)" rel="next"', response.text)
        return took, {"next_query": found.group(1).replace("&amp;", "&") if found else None}
    return took, response.json()


def _urls(client: httpx.Client, first: str, pages: int) -> list[str]:
    """Return ``first`` and the URLs of the next ``pages`` keyset pages after it."""
    urls = [first]
    _took, body = _get(client, first)
    for _ in range(pages):
        if body.get("next_query"):
            url = f"{first.split('?')[0]}?{body['next_query']}"
        elif body.get("next_cursor"):
            joiner = "&" if "?" in first else "?"
            url = f"{first}{joiner}cursor={body['next_cursor']}"
        else:
            break
        urls.append(url)
        _took, body = _get(client, url)
    return urls


def _scenarios(
    base: str, cookies: dict[str, str], only: str = ""
) -> dict[str, tuple[str, list[str]]]:
    """Return label → (session username, URLs) for the read benchmarks."""
    api = "/api/v1/dossiers"
    plan = {
        "worklist to_process (handler, own)": ("thuly.tuphap", f"{api}/worklists/to_process"),
        "worklist to_review (reviewer)": ("xemxet.tuphap", f"{api}/worklists/to_review"),
        "worklist to_return (desk)": ("tiepnhan.tinh", f"{api}/worklists/to_return"),
        "list, one agency (Sở Tư pháp)": ("xemxet.tuphap", f"{api}/?scope=agency"),
        "list, one agency, state=in_process": (
            "xemxet.tuphap",
            f"{api}/?scope=agency&state=in_process",
        ),
        "list, one desk (provincial centre)": ("tiepnhan.tinh", f"{api}/?scope=desk"),
        "list, one agency, overdue": ("xemxet.tuphap", f"{api}/?scope=agency&due=overdue"),
        "worklist page (HTML), handler, to_process": ("thuly.tuphap", "/ho-so/?list=to_process"),
        "worklist page (HTML), desk, to_return": ("tiepnhan.tinh", "/ho-so/?list=to_return"),
    }
    scenarios = {}
    for label, (user, url) in plan.items():
        if only not in label:
            continue
        with httpx.Client(
            base_url=base, cookies={"sessionid": cookies[user]}, timeout=60
        ) as client:
            scenarios[label] = (user, _urls(client, url, pages=9))
    return scenarios


class _Timer:
    """A keep-alive HTTP/1.1 connection that times GETs and reads nothing but the status.

    The load generator runs on the machine it measures: ``http.client`` without parsing
    the bodies costs the server's CPU a fifth of what ``httpx`` with JSON decoding did
    (about 0.3 ms a request against 1.3–1.8 ms).
    """

    def __init__(self, base: str, cookie: str) -> None:
        address = urlsplit(base)
        self.connection = http.client.HTTPConnection(
            address.hostname or "127.0.0.1", address.port, timeout=60
        )
        self.headers = {"Cookie": f"sessionid={cookie}"}

    def __enter__(self) -> _Timer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.connection.close()

    def get(self, url: str) -> float:
        """Return the milliseconds from sending the request to the last byte of a 200."""
        start = time.perf_counter()
        self.connection.request("GET", url, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        took = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status} {body[:200]!r}")
        return took


def _measure_one(base: str, cookie: str, urls: list[str], n: int) -> dict[str, float]:
    with _Timer(base, cookie) as timer:
        for url in urls[:5]:
            timer.get(url)
        timings = [timer.get(urls[i % len(urls)]) for i in range(n)]
    return _percentiles(timings)


def _measure_many(
    base: str, cookie: str, urls: list[str], n: int, clients: int
) -> dict[str, float]:
    timings: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def worker(index: int) -> None:
        with _Timer(base, cookie) as timer:
            timer.get(urls[0])
            start.wait()
            local = [timer.get(urls[(index + i) % len(urls)]) for i in range(n)]
        with lock:
            timings.extend(local)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    figures = _percentiles(timings)
    figures["rps"] = len(timings) / (time.perf_counter() - began)
    return figures


def _writes(
    env: dict[str, str],
    count: int,
    processes: int,
    *,
    durable: bool = True,
    profile: str = "",
) -> dict[str, float]:
    code = WRITE_CODE.format(people=PEOPLE)
    began = time.perf_counter()
    procs = [
        subprocess.Popen(
            [PYTHON, "-c", code, str(count), str(i), "1" if durable else "0", profile],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(processes)
    ]
    transitions = 0
    statements = 0
    cpu = 0.0
    slowest = 0.0
    for proc in procs:
        out, _err = proc.communicate()
        match = re.search(r"RESULT (\d+) (\d+) ([\d.]+) (\d+) ([\d.]+)", out)
        if proc.returncode != 0 or match is None:
            raise RuntimeError(f"write benchmark failed: {out[-500:]}")
        transitions += int(match.group(1))
        slowest = max(slowest, float(match.group(3)))
        statements += int(match.group(4))
        cpu += float(match.group(5))
    wall = time.perf_counter() - began
    return {
        "durable": durable,
        "processes": processes,
        "dossiers": count * processes,
        "transitions": transitions,
        "seconds": slowest,
        "per_second": transitions / slowest,
        "statements": statements / transitions,
        "cpu_ms": cpu * 1000 / transitions,
        "wall": wall,
    }


def _print_writes(w: dict[str, float]) -> None:
    print(
        f"writes ({'synchronous_commit on' if w['durable'] else 'synchronous_commit off'}), "
        f"{w['processes']} process(es): {w['transitions']} transitions over "
        f"{w['dossiers']} dossiers in {w['seconds']:.1f} s = {w['per_second']:.0f} "
        f"transitions/s, {w['statements']:.1f} SQL statements and "
        f"{w['cpu_ms']:.1f} ms of the process's CPU per transition",
        flush=True,
    )


def _writes_only(args: argparse.Namespace, env: dict[str, str], db_url: str) -> int:
    """Prepare a database with the demo data only and time the write path."""
    if not (args.reuse and _database_exists(args.database)):
        _recreate_database(args.database)
        _run([PYTHON, "manage.py", "migrate", "-v0"], env)
        _run([PYTHON, "-c", DEMO_CODE], env, stdout=subprocess.DEVNULL)
    else:
        _run([PYTHON, "manage.py", "migrate", "-v0"], env)
    print(f"{_count(db_url):,} dossiers in {args.database} before the run", flush=True)
    if args.profile:
        w = _writes(env, args.writes, 1, profile=str(Path(args.profile).resolve()))
        _print_writes(w)
        print(f"profile in {args.profile} (python -m pstats {args.profile})")
        return 0
    runs = [(1, True), (2, True)]
    if args.commit_off:
        runs += [(1, False), (2, False)]
    writes = []
    for processes, durable in runs:
        writes.append(_writes(env, args.writes, processes, durable=durable))
        _print_writes(writes[-1])
    if args.record:
        _record_writes(writes, args.writes, " --commit-off" if args.commit_off else "")
    if not args.keep_db and not args.reuse:
        _drop_database(args.database)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per scenario, 1 client")
    parser.add_argument(
        "--concurrent-requests", type=int, default=40, help="per client, 16 clients"
    )
    parser.add_argument("--writes", type=int, default=150, help="dossiers per write process")
    parser.add_argument("--port", type=int, default=8941)
    parser.add_argument("--reuse", action="store_true", help="reuse a loaded bench database")
    parser.add_argument("--keep-db", action="store_true", help=f"keep the {DB_NAME} database")
    parser.add_argument("--record", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument(
        "--database",
        default=os.environ.get("DOSSIERS_BENCH_DB", DB_NAME),
        help=f"scratch database (default $DOSSIERS_BENCH_DB or {DB_NAME})",
    )
    parser.add_argument(
        "--writes-only",
        action="store_true",
        help="demo data only (no 1 M load, no reads): time the write path",
    )
    parser.add_argument(
        "--commit-off",
        action="store_true",
        help="with --writes-only: also run with synchronous_commit off",
    )
    parser.add_argument(
        "--only",
        default="",
        help="run only the read scenarios whose label contains this text (no writes, no record)",
    )
    parser.add_argument(
        "--load-only", action="store_true", help="load the database (kept), measure nothing"
    )
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/14",
        help="the web server's cache, as in production (emptied first; it holds the "
        "officials' worklist pages, dossiers.worklist_cache); '' for each process's own "
        "memory, where the worklist pages are not cached",
    )
    parser.add_argument(
        "--profile", default="", help="with --writes-only: cProfile one process into FILE"
    )
    args = parser.parse_args()
    if args.only and args.record:
        parser.error("--only measures a part: it does not record")

    db_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    workdir = Path(tempfile.mkdtemp(prefix="dossiers-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "MOTCUA_VAR_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    }
    if args.redis:
        import redis  # the client Django's Redis cache uses

        redis.Redis.from_url(args.redis).flushdb()
        env["REDIS_URL"] = args.redis
    if args.writes_only:
        return _writes_only(args, env, db_url)
    load_seconds = 0.0
    if not (args.reuse and _database_exists(args.database) and _count(db_url) >= args.count):
        _recreate_database(args.database)
        _run([PYTHON, "manage.py", "migrate", "-v0"], env)
        _run([PYTHON, "-c", DEMO_CODE], env, stdout=subprocess.DEVNULL)
        began = time.perf_counter()
        _run([PYTHON, "bench/dossiers_load.py", "--count", str(args.count)], env)
        load_seconds = time.perf_counter() - began
    else:
        _run([PYTHON, "manage.py", "migrate", "-v0"], env)  # the code may have moved on
    total = _count(db_url)
    print(f"{total:,} dossiers in {args.database}")
    if args.load_only:
        return 0

    server = subprocess.Popen(
        [
            GUNICORN,
            "motcua.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{args.port}"
    reads: dict[str, dict[str, dict[str, float]]] = {}
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            _wait_for(client, "/healthz")
        cookies = _sessions(env)
        for label, (user, urls) in _scenarios(base, cookies, args.only).items():
            one = _measure_one(base, cookies[user], urls, args.requests)
            many = _measure_many(base, cookies[user], urls, args.concurrent_requests, 16)
            reads[label] = {"one": one, "many": many}
            print(
                f"{label:45} 1 client p50 {one['p50']:6.1f} ms p95 {one['p95']:6.1f} ms | "
                f"16 clients p50 {many['p50']:6.1f} ms p95 {many['p95']:6.1f} ms "
                f"({many['rps']:.0f} req/s)",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    if args.only:
        return 0
    writes = [
        _writes(env, args.writes, 1),
        _writes(env, args.writes, 2),
        _writes(env, args.writes, 1, durable=False),
        _writes(env, args.writes, 2, durable=False),
    ]
    for w in writes:
        _print_writes(w)
    if args.record:
        _record(total, load_seconds, reads, writes, args.redis)
    if not args.keep_db and not args.reuse:
        _drop_database(args.database)
    return 0


WRITES_INTRO = (
    "Writes through the actions (register, receive, exempt paper documents, transfer, "
    "assign, submit for review, approve, sign, record payment, return; every transition "
    "compare-and-set, audited and outboxed; forms and result signing switched off — see "
    "Documents)"
)


def _write_table(writes: list[dict[str, float]], note: str) -> list[str]:
    lines = [
        f"{WRITES_INTRO}{note}:",
        "",
        "| commit | processes | dossiers | transitions | seconds | transitions/s "
        "| SQL statements per transition (without BEGIN/COMMIT) | Python CPU per transition |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for w in writes:
        commit = "synchronous (default)" if w["durable"] else "synchronous_commit off"
        lines.append(
            f"| {commit} | {w['processes']} | {w['dossiers']:.0f} | {w['transitions']:.0f} | "
            f"{w['seconds']:.1f} | {w['per_second']:.0f} | {w['statements']:.1f} | "
            f"{w['cpu_ms']:.1f} ms |"
        )
    return lines


def _record_writes(writes: list[dict[str, float]], count: int, flags: str) -> None:
    """Replace only the write table of the "## Dossiers" section (``--writes-only``)."""
    one_load, five_load, _ = os.getloadavg()
    note = (
        f". `python bench/dossiers_bench.py --writes-only --writes {count}{flags} --record`, "
        f"{time.strftime('%Y-%m-%d %H:%M')} UTC, {os.cpu_count()} cores shared with other "
        f"work, load average at the end {one_load:.1f} (1 min), {five_load:.1f} (5 min); "
        f"database with the demo data only (no 1 M load)"
    )
    table = "\n".join(_write_table(writes, note)) + "\n"
    text = RESULTS.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(WRITES_INTRO)}.*?:\n\n(?:\|.*\n)+", re.M)
    if not pattern.search(text):
        raise RuntimeError(f"no write table in {RESULTS}: run the full benchmark first")
    RESULTS.write_text(pattern.sub(lambda _m: table, text, count=1), encoding="utf-8")
    print(f"recorded the write table in {RESULTS.relative_to(ROOT)}")


def _record(
    total: int,
    load_seconds: float,
    reads: dict[str, dict[str, dict[str, float]]],
    writes: list[dict[str, float]],
    redis_url: str,
) -> None:
    with psycopg.connect(ADMIN_URL) as conn:
        server_version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    one_load, five_load, _ = os.getloadavg()
    lines = [
        HEADING,
        "",
        f"`python bench/dossiers_bench.py --record`, {time.strftime('%Y-%m-%d')}. Machine: "
        f"{os.cpu_count()} cores, PostgreSQL {server_version} on the same host (default "
        f"configuration), gunicorn with {WORKERS} sync workers, DEBUG off, session "
        f"authentication (each request also reads the session, the official and the roles), "
        + (
            f"Redis cache on the same host ({redis_url}; the officials' worklist pages are "
            "cached, `dossiers.worklist_cache`). "
            if redis_url
            else "each process's own memory as the cache (worklist pages not cached). "
        )
        + f"Data: {total:,} dossiers with 3 audit events each, over the Thanh Hóa demo province "
        f"(one agency, Sở Tư pháp, holds about a fifth)"
        + (
            f"; loaded by `bench/dossiers_load.py` (COPY) in {load_seconds:.0f} s"
            if load_seconds
            else ""
        )
        + f". Load average at the end: {one_load:.1f} (1 min), {five_load:.1f} (5 min), "
        "the benchmark's own included (about 2 while it runs alone).",
        "",
        "Reads: page of 50 by appointment date, keyset pages 1–10 cycled; times per request "
        "over HTTP on loopback.",
        "",
        "| scenario | 1 client p50 | 1 client p95 | 16 clients p50 | 16 clients p95 | req/s at 16 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, figures in reads.items():
        one, many = figures["one"], figures["many"]
        lines.append(
            f"| {label} | {one['p50']:.1f} ms | {one['p95']:.1f} ms | {many['p50']:.1f} ms | "
            f"{many['p95']:.1f} ms | {many['rps']:.0f} |"
        )
    lines += ["", *_write_table(writes, "")]
    section = "\n".join(lines) + "\n"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    print(f"recorded in {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    raise SystemExit(main())
