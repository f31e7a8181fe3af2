"""Benchmark of the citizen portal on PostgreSQL: "My dossiers" of a citizen with 200
dossiers, and the procedure page with the "apply online" button, with 1,000,000 dossiers.

Creates the database ``bench_apply`` (``--reuse`` reuses a loaded one, ``--keep-db``
keeps it), migrates it, loads the demo calendar, agencies, officials and catalogue, then
``bench/dossiers_load.py`` COPYs ``--count`` synthetic dossiers. It creates 1,000
citizen accounts and gives them one dossier in ten (about 100 each, filed online), and
one more citizen exactly 200 dossiers spread over the three years of data — the one
measured. It serves the app with gunicorn (DEBUG off, 4 sync workers) on loopback and
measures, with that citizen's session, p50/p95 of: "My dossiers" (the page, and its 10
keyset pages cycled), the JSON list of the citizen API, one dossier's page, and the
procedure pages of the online procedures of the demo catalogue (the apply button
shown), logged in and anonymous; at 1 client and at 16 concurrent clients.
``--record`` rewrites the "## Citizen portal" section of ``bench/RESULTS.md``.
Target: p95 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
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

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Citizen portal"
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "bench_apply"
WORKERS = 4
CITIZENS = 1000
MINE = 200

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

CITIZENS_CODE = """
import datetime as dt
import django; django.setup()
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from motcua.identity.models import Citizen
from motcua.kernel import clock
User = get_user_model()
now = clock.now()
with transaction.atomic():
    users = User.objects.bulk_create(
        [User(username=f"bench.citizen.{{i}}") for i in range({citizens} + 1)]
    )
    Citizen.objects.bulk_create([
        Citizen(user=u, kind="person", issuer="bench", subject=u.username,
                full_name=f"Công dân {{i}}", birth_date=dt.date(1990, 1, 1),
                personal_id=f"0380900{{i:05d}}", assurance_level=2,
                created_at=now, verified_at=now)
        for i, u in enumerate(users)
    ])
    measured, others = users[0].pk, [u.pk for u in users[1:]]
    with connection.cursor() as cur:
        # One dossier in ten filed online by one of the other citizens.
        cur.execute(
            "UPDATE dossiers_dossier SET applicant_user_id = (%s::bigint[])[1 + id %% %s], "
            "is_eid_authenticated = true WHERE id %% 10 = 0",
            [others, len(others)],
        )
        # The measured citizen: {mine} dossiers spread over the whole period.
        cur.execute(
            "UPDATE dossiers_dossier SET applicant_user_id = %s, is_eid_authenticated = true "
            "WHERE id IN (SELECT id FROM dossiers_dossier WHERE id %% 10 = 5 "
            "ORDER BY md5(id::text) LIMIT %s)",
            [measured, {mine}],
        )
    connection.cursor().execute("ANALYZE dossiers_dossier")
print("MEASURED", measured)
"""

SESSION_CODE = """
import django; django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model()._default_manager.get(username="bench.citizen.0")
s = SessionStore()
s[SESSION_KEY] = str(user.pk)
s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]  # what a login records
s[HASH_SESSION_KEY] = user.get_session_auth_hash()
s.create()
print(s.session_key)
"""

CPU_CODE = """
import sys, time
import django; django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(get_user_model()._default_manager.get(username="bench.citizen.0"))
for url in sys.argv[1:]:
    for _ in range(10):
        client.get(url)
    began = time.process_time()
    for _ in range(100):
        assert client.get(url).status_code == 200, url
    print("CPU", url, (time.process_time() - began) * 10)
"""

ONLINE_CODE = """
import django; django.setup()
from motcua.catalog.selectors import versions_in_force
for code in versions_in_force().exclude(online_level="none").values_list("code", flat=True):
    print(code)
"""


def _run(args: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, text=True, **kwargs)


def _database_exists() -> bool:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone()
    return row is not None


def _recreate_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def _drop_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def _scalar(db_url: str, sql: str) -> int:
    with psycopg.connect(db_url) as conn:
        return int(conn.execute(sql).fetchone()[0])  # type: ignore[index]


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


def _get(client: httpx.Client, url: str) -> tuple[float, str]:
    start = time.perf_counter()
    response = client.get(url)
    took = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code} {response.text[:200]}")
    return took, response.text


def _my_pages(client: httpx.Client) -> list[str]:
    """Return "My dossiers" and the keyset pages after it (found in the page's links)."""
    urls = ["/ca-nhan/ho-so/"]
    while True:
        _took, html = _get(client, urls[-1])
        found = re.search(r'href="\?sau=([^"]+)"', html)
        if not found:
            return urls
        urls.append(f"/ca-nhan/ho-so/?sau={found.group(1)}")


def _measure(
    base: str, cookie: str | None, urls: list[str], n: int, clients: int
) -> dict[str, float]:
    timings: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)
    cookies = {"sessionid": cookie} if cookie else {}

    def worker(index: int) -> None:
        with httpx.Client(base_url=base, cookies=cookies, timeout=60) as client:
            for url in urls[:5]:
                _get(client, url)
            start.wait()
            local = [_get(client, urls[(index + i) % len(urls)])[0] for i in range(n)]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per scenario, 1 client")
    parser.add_argument(
        "--concurrent-requests", type=int, default=30, help="per client, 16 clients"
    )
    parser.add_argument("--port", type=int, default=8951)
    parser.add_argument("--reuse", action="store_true", help="reuse a loaded bench database")
    parser.add_argument("--keep-db", action="store_true", help=f"keep the {DB_NAME} database")
    parser.add_argument("--record", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()

    db_url = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "MOTCUA_VAR_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    }
    load_seconds = 0.0
    reusable = args.reuse and _database_exists()
    if reusable and _scalar(db_url, "SELECT COUNT(*) FROM dossiers_dossier") < args.count:
        reusable = False
    if not reusable:
        _recreate_database()
        _run([PYTHON, "manage.py", "migrate", "-v0"], env)
        _run([PYTHON, "-c", DEMO_CODE], env, stdout=subprocess.DEVNULL)
        began = time.perf_counter()
        _run([PYTHON, "bench/dossiers_load.py", "--count", str(args.count)], env)
        _run(
            [PYTHON, "-c", CITIZENS_CODE.format(citizens=CITIZENS, mine=MINE)],
            env,
            stdout=subprocess.DEVNULL,
        )
        load_seconds = time.perf_counter() - began
    else:
        _run([PYTHON, "manage.py", "migrate", "-v0"], env)
    total = _scalar(db_url, "SELECT COUNT(*) FROM dossiers_dossier")
    online = _scalar(
        db_url, "SELECT COUNT(*) FROM dossiers_dossier WHERE applicant_user_id IS NOT NULL"
    )
    print(f"{total:,} dossiers in {DB_NAME}, {online:,} filed online", flush=True)
    cookie = _run([PYTHON, "-c", SESSION_CODE], env, capture_output=True).stdout.strip()
    codes = _run([PYTHON, "-c", ONLINE_CODE], env, capture_output=True).stdout.split()

    server = subprocess.Popen(
        [GUNICORN, "motcua.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{args.port}",
         "--log-level", "warning"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    results: dict[str, dict[str, dict[str, float]]] = {}
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            _wait_for(client, "/healthz")
        with httpx.Client(base_url=base, cookies={"sessionid": cookie}, timeout=60) as client:
            pages = _my_pages(client)
            _took, html = _get(client, pages[0])
            first = re.search(r'href="/ca-nhan/ho-so/(\d+)/"', html)
            assert first is not None, "no dossier on the page"
            _get(client, "/api/v1/citizen/dossiers")
        assert len(pages) == MINE // 20, f"{len(pages)} pages of My dossiers"
        plan: dict[str, tuple[str | None, list[str]]] = {
            "My dossiers (page 1)": (cookie, pages[:1]),
            f"My dossiers (keyset pages 1–{len(pages)})": (cookie, pages),
            "API /citizen/dossiers (page 1)": (cookie, ["/api/v1/citizen/dossiers"]),
            "one dossier's page": (cookie, [f"/ca-nhan/ho-so/{first.group(1)}/"]),
            f"procedure page + apply button ({len(codes)} online procedures), citizen": (
                cookie,
                [f"/thu-tuc/{code}/" for code in codes],
            ),
            "procedure page, anonymous": (None, [f"/thu-tuc/{code}/" for code in codes]),
        }
        for label, (session, urls) in plan.items():
            one = _measure(base, session, urls, args.requests, 1)
            many = _measure(base, session, urls, args.concurrent_requests, 16)
            results[label] = {"one": one, "many": many}
            print(
                f"{label:62} 1 client p50 {one['p50']:6.1f} p95 {one['p95']:6.1f} ms | "
                f"16 clients p50 {many['p50']:6.1f} p95 {many['p95']:6.1f} ms "
                f"({many['rps']:.0f} req/s)",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    cpu_urls = [pages[0], pages[-1], f"/ca-nhan/ho-so/{first.group(1)}/", f"/thu-tuc/{codes[0]}/"]
    out = _run([PYTHON, "-c", CPU_CODE, *cpu_urls], env, capture_output=True).stdout
    cpu = {url: float(ms) for _tag, url, ms in (line.split() for line in out.splitlines())}
    for url, ms in cpu.items():
        print(f"CPU per request (in process, 100 requests) {url}: {ms:.1f} ms", flush=True)
    plan_text = _explain(db_url)
    print(plan_text)
    if args.record:
        _record(total, online, load_seconds, results, plan_text, cpu)
    if not args.keep_db and not args.reuse:
        _drop_database()
    return 0


def _explain(db_url: str) -> str:
    """Return the plan of the "My dossiers" query for the measured citizen."""
    with psycopg.connect(db_url) as conn:
        user = conn.execute(
            "SELECT id FROM auth_user WHERE username = 'bench.citizen.0'"
        ).fetchone()[0]  # type: ignore[index]
        rows = conn.execute(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) SELECT d.id FROM dossiers_dossier d "
            "JOIN catalog_procedureversion v ON v.id = d.procedure_version_id "
            "WHERE d.applicant_user_id = %s ORDER BY d.submitted_at DESC, d.id DESC LIMIT 21",
            [user],
        ).fetchall()
    return "\n".join(row[0] for row in rows)


def _record(
    total: int,
    online: int,
    load_seconds: float,
    results: dict[str, dict[str, dict[str, float]]],
    plan_text: str,
    cpu: dict[str, float],
) -> None:
    with psycopg.connect(ADMIN_URL) as conn:
        server_version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    one_load, five_load, _ = os.getloadavg()
    lines = [
        HEADING,
        "",
        f"`python bench/portal_bench.py --record`, {time.strftime('%Y-%m-%d')}. Machine: "
        f"{os.cpu_count()} cores, PostgreSQL {server_version} on the same host (default "
        f"configuration), gunicorn with {WORKERS} sync workers, DEBUG off, session "
        f"authentication. Data: {total:,} dossiers ({online:,} filed online by "
        f"{CITIZENS + 1:,} citizen accounts; the measured citizen has {MINE}), the demo "
        f"catalogue. Load average at the end: {one_load:.1f} (1 min), {five_load:.1f} "
        "(5 min), the benchmark's own included (about 2 while it runs alone)."
        + (f" Loading took {load_seconds:.0f} s." if load_seconds else ""),
        "",
        "Target: p95 ≤ 50 ms. Times per request over HTTP on loopback.",
        "",
        "| scenario | 1 client p50 | 1 client p95 | 16 clients p50 | 16 clients p95 | req/s at 16 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, figures in results.items():
        one, many = figures["one"], figures["many"]
        lines.append(
            f"| {label} | {one['p50']:.1f} ms | {one['p95']:.1f} ms | {many['p50']:.1f} ms | "
            f"{many['p95']:.1f} ms | {many['rps']:.0f} |"
        )
    lines += [
        "",
        "CPU time per request in one process (Django test client, 100 requests, the same "
        "database): what a request costs without the queueing of the shared machine.",
        "",
    ]
    lines += [f"- `{url}`: {ms:.1f} ms" for url, ms in cpu.items()]
    lines += ["", 'Plan of the "My dossiers" query (first page):', "", "```", plan_text, "```", ""]
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    section = "\n".join(lines)
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = (
        pattern.sub(section + "\n", text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + section + "\n"
    )
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
