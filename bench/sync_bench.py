"""Benchmark of the national portal sync on PostgreSQL: relay throughput to the fake
portal with one worker, and a 100,000-message backlog draining while the dossier list
is being read.

Creates the database ``bench_sync`` (``--reuse`` keeps a loaded one), migrates it,
loads the demo agencies, officials and catalogue and ``--dossiers`` synthetic dossiers
(``bench/dossiers_load.py``, COPY). Backlogs are COPYed into the outbox as five dossier
events each (receive, transfer, assign, submit for review, approve — what the actions
would have written), in order per dossier.

1. Throughput: ``--throughput`` events, one ``motcua worker --no-tasks`` (relay batch of
   ``--batch``), the fake portal (``motcua fake portal``) in its own process; the time
   from the worker's start until no dossier event is pending. The portal acknowledges
   every event, so as many ``integration.portal.acknowledged`` messages are written and
   relayed too (counted apart).
2. Drain under reads: gunicorn (``--web-workers`` sync workers) serves the list API; the
   p95 of ``/api/v1/dossiers/?scope=agency`` (page of 50, one official's session, one
   client) is measured with the outbox idle, then while one worker drains a backlog of
   ``--backlog`` events. With ``--interleave`` it also prints the per-cycle change (the
   median of each relaying window's p95 over the next stopped window's) and what the
   web's processes spent per request on a CPU and waiting for one (Linux ``schedstat``).

Targets (issue 6): ≥ 500 messages/s with one worker; the list's p95 within 20 % while
the backlog drains. ``--record`` rewrites the "## National portal sync" section of
``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import dossiers_bench as base  # noqa: E402  (shared helpers: sessions, percentiles, demo)

ROOT = HERE.parent
PYTHON = sys.executable
RESULTS = HERE / "RESULTS.md"
HEADING = "## National portal sync"
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "bench_sync"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
# (event, national status, previous status): a received dossier going into processing.
EVENTS = [
    ("receive", 2, 1),
    ("transfer", 4, 2),
    ("assign", 4, 4),
    ("submit_for_review", 4, 4),
    ("approve", 4, 4),
]
TOPICS = "'dossiers.dossier.%'"


def _admin(sql: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def _one(sql: str) -> Any:
    with psycopg.connect(DB_URL) as conn:
        return conn.execute(sql).fetchone()[0]  # type: ignore[index]


def _prepare(env: dict[str, str], dossiers: int, reuse: bool) -> float:
    exists = False
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        exists = bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone()
        )
    if reuse and exists and _one("SELECT COUNT(*) FROM dossiers_dossier") >= dossiers:
        base._run([PYTHON, "manage.py", "migrate", "-v0"], env)
        return 0.0
    _admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{DB_NAME}"')
    base._run([PYTHON, "manage.py", "migrate", "-v0"], env)
    base._run([PYTHON, "-c", base.DEMO_CODE], env, stdout=subprocess.DEVNULL)
    began = time.perf_counter()
    base._run([PYTHON, "bench/dossiers_load.py", "--count", str(dossiers)], env)
    return time.perf_counter() - began


def _reset_outbox() -> None:
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        for table in (
            "integration_webhookattempt",
            "integration_webhookdelivery",
            "integration_outboxdelivery",
            "portalsync_portalevent",
            "portalsync_portaldossiersync",
        ):
            conn.execute(f"TRUNCATE {table} CASCADE")
        conn.execute("TRUNCATE integration_outboxmessage CASCADE")
        conn.execute("VACUUM ANALYZE integration_outboxmessage")


def _load_backlog(count: int) -> int:
    """COPY ``count`` dossier events (five per dossier, in order) into the outbox."""
    per = len(EVENTS)
    with psycopg.connect(DB_URL) as conn:
        rows = conn.execute(
            "SELECT id, code FROM dossiers_dossier WHERE code IS NOT NULL ORDER BY id LIMIT %s",
            ((count + per - 1) // per,),
        ).fetchall()
        columns = (
            "message_id, topic, aggregate_type, aggregate_id, payload, created_at, status, "
            "available_at, attempts, last_error"
        )
        written = 0
        now = dt.datetime.now(dt.UTC)
        with conn.cursor().copy(f"COPY integration_outboxmessage ({columns}) FROM STDIN") as copy:
            for name, status, previous in EVENTS:  # event by event: each dossier's in order
                for dossier_id, code in rows:
                    if written >= count:
                        break
                    payload = {
                        "code": code,
                        "national_status": status,
                        "previous_national_status": previous,
                        "actor": "official:1",
                    }
                    copy.write_row(
                        (
                            uuid.uuid4(),
                            f"dossiers.dossier.{name}",
                            "dossiers.dossier",
                            str(dossier_id),
                            json.dumps(payload),
                            now,
                            "pending",
                            now,
                            0,
                            "",
                        )
                    )
                    written += 1
        conn.commit()
        conn.execute("ANALYZE integration_outboxmessage")
    return written


def _pending() -> int:
    return int(
        _one(
            f"SELECT COUNT(*) FROM integration_outboxmessage WHERE status <> 'delivered' AND topic LIKE {TOPICS}"
        )
    )


def _start(
    args: list[str], env: dict[str, str], log: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start ``args`` in its own session; its output goes to ``log`` when given."""
    if log is None:
        return subprocess.Popen(args, env=env, cwd=ROOT, start_new_session=True)
    with log.open("ab") as out:
        return subprocess.Popen(
            args, env=env, cwd=ROOT, start_new_session=True, stdout=out, stderr=subprocess.STDOUT
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _cpu_seconds(pid: int) -> float:
    """Return the user + system CPU seconds of process ``pid`` (Linux ``/proc``)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _database_backends() -> list[int]:
    with psycopg.connect(DB_URL) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (DB_NAME,),
        ).fetchall()
    return [int(row[0]) for row in rows]


def _drain(
    env: dict[str, str],
    total: int,
    batch: int,
    portal_pid: int,
    web_backends: set[int],
    nice: int = 0,
    max_rate: float = 0,
    idle: bool = False,
    interleave: float = 0,
    phase: Phase | None = None,
) -> dict[str, float]:
    """Run one worker until no dossier event is pending; return the figures.

    With ``interleave`` (seconds), the worker is stopped (``SIGSTOP``) for that long
    after every three times that long of relaying, and ``phase`` says which it is: the
    list read in the stopped windows is the idle baseline, taken in the same minutes as
    the busy figures, so the machine's drift is in both.

    Besides wall time, it sums the CPU time the worker, the fake portal and the worker's
    PostgreSQL backend spent: on a machine shared with other work, the CPU cost per event
    says what one core would sustain, whatever the others take.
    """
    worker_env = {**env, "OUTBOX_BATCH_SIZE": str(batch)}
    portal_cpu = _cpu_seconds(portal_pid)
    started = time.perf_counter()
    worker = _start(
        [
            PYTHON, "-m", "motcua.cli", "worker", "--no-tasks", "--idle-sleep", "0.2",
            "--nice", str(nice), "--max-rate", str(max_rate), *(["--idle"] if idle else []),
        ],
        worker_env,
    )  # fmt: skip
    samples: list[tuple[float, int]] = []
    backends: dict[int, float] = {}
    stopped_seconds = 0.0
    relaying = False
    try:
        while True:
            # Interleaved, the pending count (a scan of the outbox) is read every 2 s, not
            # every 0.5 s: the bench's own queries are load on the machine it measures.
            if not (interleave and samples and len(samples) % 4 and samples[-1][1] < total):
                left = _pending()
            samples.append((time.perf_counter() - started, left))
            if left == 0:
                break
            if worker.poll() is not None:
                raise RuntimeError("the worker stopped")
            for pid in set(_database_backends()) - web_backends:
                backends[pid] = _cpu_seconds(pid)  # the worker's backend, last reading
            if interleave and phase is not None and left < total:  # once it relays
                if not relaying:
                    relaying = True
                    phase.switch(False)
                spent = time.perf_counter() - phase.since
                if phase.stopped and spent >= interleave:
                    os.killpg(worker.pid, signal.SIGCONT)
                    stopped_seconds += spent
                    phase.switch(False)
                elif not phase.stopped and spent >= 3 * interleave:
                    os.killpg(worker.pid, signal.SIGSTOP)
                    phase.switch(True)
            time.sleep(0.5)
        worker_cpu = _cpu_seconds(worker.pid)
    finally:
        if phase is not None:
            if phase.stopped:
                stopped_seconds += time.perf_counter() - phase.since
                os.killpg(worker.pid, signal.SIGCONT)
            phase.switch(False)  # also closes the last window's schedstat figures
        _stop(worker)
    portal_cpu = _cpu_seconds(portal_pid) - portal_cpu
    database_cpu = sum(backends.values())
    seconds = samples[-1][0]
    # The worker's start-up (Django, first connections, token) is not relaying: the
    # steady rate runs from the first sample that shows progress.
    steady_from = max((t for t, left in samples if left == total), default=0.0)
    acks = int(
        _one(
            "SELECT COUNT(*) FROM integration_outboxmessage WHERE topic = 'integration.portal.acknowledged'"
        )
    )
    acknowledged = int(
        _one("SELECT COUNT(*) FROM portalsync_portalevent WHERE status = 'acknowledged'")
    )
    return {
        "messages": total,
        "seconds": seconds,
        "per_second": total / seconds,
        "steady_seconds": seconds - steady_from,
        "steady_per_second": total / max(0.001, seconds - steady_from),
        "acknowledged": acknowledged,
        "ack_messages": acks,
        "total_per_second": (total + acks) / seconds,
        "worker_cpu": worker_cpu,
        "portal_cpu": portal_cpu,
        "database_cpu": database_cpu,
        "cpu_ms_per_event": (worker_cpu + database_cpu) * 1000 / total,
        "load": os.getloadavg()[0],
        "stopped_seconds": stopped_seconds,
        "relaying_per_second": total / max(0.001, seconds - stopped_seconds),
    }


def _reset_portal(port: int) -> None:
    """Forget what the fake portal stored (a new backlog replays the same dossiers)."""
    httpx.post(f"http://127.0.0.1:{port}/_control/reset", timeout=10).raise_for_status()


def _portal_state(port: int) -> dict[str, Any]:
    return httpx.get(f"http://127.0.0.1:{port}/_control/state", timeout=10).json()


class Phase:
    """Whether the worker is stopped, and a counter bumped at every switch.

    ``--interleave`` stops and resumes the worker during the drain; a request counts
    for the phase it began and ended in, once ``SETTLE`` seconds have passed since the
    switch (requests that straddle a switch are dropped).

    With ``tasks`` (``/proc/<pid>/task/<tid>`` directories: the web's processes and the
    reader), every switch also adds up, for the phase that ends, what Linux's
    ``schedstat`` says those tasks spent: nanoseconds on a CPU, nanoseconds waiting on a
    run queue for one, and times they were scheduled in. Whether the list slows because
    its work costs more CPU or because it waits for a CPU is told apart this way.
    """

    SETTLE = 0.25

    def __init__(self, tasks: list[Path] | None = None) -> None:
        self.stopped = False
        self.generation = 0
        self.since = time.perf_counter()
        self.tasks = tasks or []
        self.scheduled = {True: [0, 0, 0], False: [0, 0, 0]}
        self._last = self._schedstat()

    def _schedstat(self) -> dict[Path, list[int]]:
        found = {}
        for task in self.tasks:
            try:
                found[task] = [int(n) for n in (task / "schedstat").read_text().split()[:3]]
            except OSError:  # the task ended
                continue
        return found

    def switch(self, stopped: bool) -> None:
        if self.tasks:
            now = self._schedstat()
            spent = self.scheduled[self.stopped]
            for task, figures in now.items():
                before = self._last.get(task, figures)
                for i in range(3):
                    spent[i] += figures[i] - before[i]
            self._last = now
        self.stopped = stopped
        self.generation += 1
        self.since = time.perf_counter()


def _web_tasks(server_pid: int, backends: set[int]) -> list[Path]:
    """The threads of gunicorn's workers (children of ``server_pid``) and of ``backends``."""
    pids = set(backends)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server_pid:
                pids.add(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return [task for pid in sorted(pids) for task in Path(f"/proc/{pid}/task").glob("*")]


def _read_by_phase(
    base_url: str, cookie: str, until: threading.Event, phase: Phase
) -> tuple[list[float], list[float], dict[int, tuple[bool, list[float]]]]:
    """Read the list until ``until``; return the timings with the worker stopped and
    running, and each window's kind (stopped?) and timings by its ``phase.generation``."""
    url = "/api/v1/dossiers/?scope=agency"
    stopped: list[float] = []
    running: list[float] = []
    windows: dict[int, tuple[bool, list[float]]] = {}
    with base._Timer(base_url, cookie) as timer:
        while not until.is_set():
            generation, was_stopped, since = phase.generation, phase.stopped, phase.since
            took = timer.get(url)
            settled = time.perf_counter() - took / 1000 - since >= Phase.SETTLE
            if generation == phase.generation and settled:
                (stopped if was_stopped else running).append(took)
                windows.setdefault(generation, (was_stopped, []))[1].append(took)
    return stopped, running, windows


def _cycle_ratios(windows: dict[int, tuple[bool, list[float]]]) -> list[float]:
    """p95 of each relaying window over the p95 of the stopped window that follows it.

    Pooled percentiles let a few seconds of the host's own noise that happen to fall in
    one kind of window move the result; the median of these per-cycle ratios does not.
    """
    ratios = []
    for generation, (was_stopped, running) in sorted(windows.items()):
        after_stopped, stopped = windows.get(generation + 1, (False, []))
        if not was_stopped and after_stopped and min(len(running), len(stopped)) >= 100:
            ratios.append(base._percentiles(running)["p95"] / base._percentiles(stopped)["p95"])
    return ratios


def _read_timings(base_url: str, cookie: str, until: threading.Event | None, n: int) -> list[float]:
    url = "/api/v1/dossiers/?scope=agency"
    timings: list[float] = []
    with base._Timer(base_url, cookie) as timer:
        for _ in range(5):
            timer.get(url)
        while (until is None and len(timings) < n) or (until is not None and not until.is_set()):
            timings.append(timer.get(url))
    return timings


def _reads(base_url: str, cookie: str, until: threading.Event | None, n: int) -> dict[str, float]:
    return base._percentiles(_read_timings(base_url, cookie, until, n))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=20_000)
    parser.add_argument("--throughput", type=int, default=20_000)
    parser.add_argument("--backlog", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument(
        "--baseline-requests",
        type=int,
        default=3000,
        help="list requests with the outbox idle, half before the drain and half after",
    )
    parser.add_argument("--port", type=int, default=18961)
    parser.add_argument("--portal-port", type=int, default=18962)
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="nice increment of the worker (and of the fake portal, a remote system in "
        "real life) while the backlog drains beside the web server",
    )
    parser.add_argument(
        "--worker-max-rate",
        type=float,
        default=0,
        help="cap of the worker's relay rate (messages/s) while the backlog drains "
        "(motcua worker --max-rate); 0: as fast as it can",
    )
    parser.add_argument(
        "--worker-idle",
        action="store_true",
        help="run the worker (motcua worker --idle) and the fake portal with the idle "
        "scheduling class (Linux SCHED_IDLE) while the backlog drains",
    )
    parser.add_argument(
        "--interleave",
        type=float,
        default=0,
        help="stop the draining worker (SIGSTOP) for this many seconds after every three "
        "times as many of relaying, and read the idle baseline in those windows",
    )
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "DEBUG": "0",
        "MOTCUA_VAR_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
        "DVCQG_URL": f"http://127.0.0.1:{args.portal_port}",
        "DVCQG_SYNC_ENABLED": "1",
        "DVCQG_FAKE_SEED": "0",
        "DVCQG_PULL_INTERVAL_SECONDS": "3600",
    }
    for port in (args.port, args.portal_port):  # never measure someone else's server
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(f"port {port} is in use: choose another (--port/--portal-port)")
    load_seconds = _prepare(env, args.dossiers, args.reuse)
    total_dossiers = int(_one("SELECT COUNT(*) FROM dossiers_dossier"))
    print(f"{total_dossiers:,} dossiers in {DB_NAME}", flush=True)

    portal = _start(
        [PYTHON, "-m", "motcua.cli", "fake", "portal", "--port", str(args.portal_port)],
        env,
        workdir / "fake-portal.log",  # a line per request: not on the bench's output
    )
    server = _start(
        [
            str(Path(PYTHON).with_name("gunicorn")), "motcua.wsgi", "-w", str(args.web_workers),
            "-b", f"127.0.0.1:{args.port}", "--log-level", "warning",
        ],
        env,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{args.port}"
    try:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            base._wait_for(client, "/healthz")
        base._wait_for(
            httpx.Client(timeout=5), f"http://127.0.0.1:{args.portal_port}/_control/state"
        )

        _reset_outbox()
        _reset_portal(args.portal_port)
        loaded = _load_backlog(args.throughput)
        throughput = _drain(env, loaded, args.batch, portal.pid, set())
        state = _portal_state(args.portal_port)
        print(
            f"throughput: {loaded:,} events in {throughput['seconds']:.1f} s = "
            f"{throughput['per_second']:.0f} events/s, {throughput['steady_per_second']:.0f}/s "
            f"after start-up (+{throughput['ack_messages']:,} "
            f"acknowledgement messages: {throughput['total_per_second']:.0f} outbox messages/s); "
            f"portal stored {state['messages']:,}, rejected {state['items_rejected']:,}; CPU: "
            f"worker {throughput['worker_cpu']:.1f} s, its database backend "
            f"{throughput['database_cpu']:.1f} s, fake portal {throughput['portal_cpu']:.1f} s "
            f"= {throughput['cpu_ms_per_event']:.2f} ms of worker+database CPU per event; "
            f"load {throughput['load']:.1f}",
            flush=True,
        )

        cookie = base._sessions(env)["xemxet.tuphap"]
        _reset_outbox()
        _reset_portal(args.portal_port)
        loaded_backlog = _load_backlog(args.backlog)
        before = _read_timings(base_url, cookie, None, args.baseline_requests // 2)
        web_backends = set(_database_backends())  # gunicorn's connections, already open
        idle_before = base._percentiles(before)
        print(
            f"list p50 {idle_before['p50']:.1f} ms p95 {idle_before['p95']:.1f} ms "
            "(outbox idle, before the drain)",
            flush=True,
        )
        if args.worker_nice:  # the fake portal is a remote system in real life
            os.setpriority(os.PRIO_PROCESS, portal.pid, args.worker_nice)
        if args.worker_idle:
            os.sched_setscheduler(portal.pid, os.SCHED_IDLE, os.sched_param(0))
        done = threading.Event()
        figures: dict[str, dict[str, float]] = {}
        phase = Phase(_web_tasks(server.pid, web_backends)) if args.interleave else None

        def read_while_draining() -> None:
            if phase is None:
                figures["busy"] = _reads(base_url, cookie, done, 0)
                return
            phase.tasks.append(Path(f"/proc/self/task/{threading.get_native_id()}"))  # the reader
            stopped, running, windows = _read_by_phase(base_url, cookie, done, phase)
            figures["busy"] = base._percentiles(running)
            figures["stopped"] = base._percentiles(stopped)
            ratios = _cycle_ratios(windows)
            if ratios:
                figures["cycles"] = {
                    "n": len(ratios),
                    "median": statistics.median(ratios),
                    "over": sum(ratio > 1.2 for ratio in ratios),
                }
            for was_stopped, reads in ((True, stopped), (False, running)):
                on_cpu, waiting, scheduled = phase.scheduled[was_stopped]
                n = max(1, len(reads))
                figures["stopped" if was_stopped else "busy"].update(
                    cpu_ms=on_cpu / n / 1e6, wait_ms=waiting / n / 1e6, scheduled=scheduled / n
                )

        reader = threading.Thread(target=read_while_draining)
        reader.start()
        try:
            drain = _drain(
                env,
                loaded_backlog,
                args.batch,
                portal.pid,
                web_backends,
                args.worker_nice,
                args.worker_max_rate,
                args.worker_idle,
                args.interleave,
                phase,
            )
        finally:
            done.set()
            reader.join()
        # The idle baseline is read before and after the drain: the machine's own drift
        # over the drain's minutes is in both figures, not only in the busy one.
        idle = base._percentiles(
            before + _read_timings(base_url, cookie, None, args.baseline_requests // 2)
        )
        print(
            f"list p50 {idle['p50']:.1f} ms p95 {idle['p95']:.1f} ms (outbox idle, before and "
            "after the drain)",
            flush=True,
        )
        busy = figures["busy"]
        stopped = figures.get("stopped")
        if stopped is not None:
            print(
                f"list p50 {stopped['p50']:.1f} ms p95 {stopped['p95']:.1f} ms in the windows "
                f"with the worker stopped ({stopped['n']} requests; {drain['stopped_seconds']:.0f} s "
                f"stopped, {drain['relaying_per_second']:.0f} events/s while relaying)",
                flush=True,
            )
        print(
            f"backlog: {loaded_backlog:,} events drained in {drain['seconds']:.1f} s = "
            f"{drain['per_second']:.0f} events/s; list p50 {busy['p50']:.1f} ms "
            f"p95 {busy['p95']:.1f} ms while draining ({busy['n']} requests)",
            flush=True,
        )
        cycles = figures.get("cycles")
        if cycles is not None:
            print(
                f"per cycle (relaying window's p95 over the next stopped window's): median "
                f"{100 * (cycles['median'] - 1):+.0f} % over {cycles['n']} cycles, "
                f"{cycles['over']} of them above +20 %",
                flush=True,
            )
        if stopped is not None and "cpu_ms" in stopped:
            print(
                f"the web's processes per list request, on a CPU / waiting for one: worker "
                f"stopped {_scheduling(stopped)}, relaying {_scheduling(busy)}",
                flush=True,
            )
    finally:
        _stop(server)
        _stop(portal)
    if args.record:
        _record(
            args,
            total_dossiers,
            load_seconds,
            throughput,
            idle,
            idle_before,
            busy,
            drain,
            stopped,
            cycles,
        )
    return 0


def _scheduling(figures: dict[str, float]) -> str:
    return (
        f"{figures['cpu_ms']:.2f} / {figures['wait_ms']:.2f} ms "
        f"(scheduled in {figures['scheduled']:.1f} times)"
    )


def _record(
    args: argparse.Namespace,
    dossiers: int,
    load_seconds: float,
    throughput: dict[str, float],
    idle: dict[str, float],
    idle_before: dict[str, float],
    busy: dict[str, float],
    drain: dict[str, float],
    stopped: dict[str, float] | None,
    cycles: dict[str, float] | None = None,
) -> None:
    with psycopg.connect(ADMIN_URL) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    one, five, _ = os.getloadavg()
    # Interleaved, the baseline is the list read with the worker stopped, in the same minutes.
    reference = stopped if stopped is not None else idle
    change = (busy["p95"] - reference["p95"]) / reference["p95"] * 100
    lines = [
        HEADING,
        "",
        f"`python bench/sync_bench.py {' '.join(sys.argv[1:])}`, {time.strftime('%Y-%m-%d')}. Machine: "
        f"{os.cpu_count()} cores, PostgreSQL {version} "
        f"on the same host (default configuration). Data: {dossiers:,} dossiers "
        + (f"(loaded in {load_seconds:.0f} s) " if load_seconds else "")
        + f"in `{DB_NAME}`; the fake portal (`motcua fake portal`, werkzeug, threaded) and "
        f"one `motcua worker --no-tasks` (relay batch {args.batch}) are separate processes. "
        f"Load average at the end: {one:.1f} (1 min), {five:.1f} (5 min).",
        "",
        "| measure | figure |",
        "|---|---:|",
        f"| relay to the fake portal, one worker: {throughput['messages']:,.0f} dossier events, "
        f"from the worker's start | {throughput['seconds']:.1f} s = "
        f"{throughput['per_second']:.0f} events/s |",
        f"| … the same once the worker is up (start-up of "
        f"{throughput['seconds'] - throughput['steady_seconds']:.1f} s excluded) | "
        f"**{throughput['steady_per_second']:.0f} events/s** |",
        f"| … including the {throughput['ack_messages']:,.0f} `integration.portal.acknowledged` "
        f"messages it wrote and relayed | {throughput['total_per_second']:.0f} outbox messages/s |",
        f"| backlog of {drain['messages']:,.0f} events drained by one worker while the list is read | "
        f"{drain['seconds']:.1f} s = {drain['per_second']:.0f} events/s "
        f"({drain['steady_per_second']:.0f}/s after start-up"
        + (
            f"; {drain['relaying_per_second']:.0f}/s over the time it was not stopped"
            if stopped is not None
            else ""
        )
        + ") |",
        f"| dossier list API (one agency, page of 50, 1 client), outbox idle (half the "
        f"requests before the drain, half after) | "
        f"p50 {idle['p50']:.1f} ms, p95 {idle['p95']:.1f} ms ({idle['n']:.0f} requests) |",
        f"| … of which the requests before the drain | p50 {idle_before['p50']:.1f} ms, "
        f"p95 {idle_before['p95']:.1f} ms ({idle_before['n']:.0f} requests) |",
        *(
            [
                f"| … read during the drain in the windows with the worker stopped "
                f"({args.interleave:.0f} s after every {3 * args.interleave:.0f} s of relaying; "
                f"{drain['stopped_seconds']:.0f} s in all) | p50 {stopped['p50']:.1f} ms, "
                f"p95 {stopped['p95']:.1f} ms ({stopped['n']:.0f} requests) |"
            ]
            if stopped is not None
            else []
        ),
        "| the same while the backlog drains"
        + (" (the windows with the worker relaying)" if stopped is not None else "")
        + f" | p50 {busy['p50']:.1f} ms, "
        f"p95 {busy['p95']:.1f} ms ({busy['n']:.0f} requests; p95 {change:+.0f} %; worker and "
        f"fake portal at nice {args.worker_nice}"
        + (", idle scheduling class (SCHED_IDLE)" if args.worker_idle else "")
        + (
            f", relay capped at {args.worker_max_rate:.0f} messages/s"
            if args.worker_max_rate
            else ""
        )
        + ") |",
        *(
            [
                f"| … per cycle, the relaying window's p95 over that of the stopped window "
                f"after it: median of {cycles['n']:.0f} cycles | "
                f"{100 * (cycles['median'] - 1):+.0f} % ({cycles['over']:.0f} cycles above "
                "+20 %) |"
            ]
            if cycles is not None
            else []
        ),
        *(
            [
                "| the web's processes (gunicorn's workers, their PostgreSQL backends, the "
                "reader) per list request, Linux `schedstat`: on a CPU / waiting for one | "
                f"worker stopped {_scheduling(stopped)}; relaying {_scheduling(busy)} |"
            ]
            if stopped is not None and "cpu_ms" in stopped
            else []
        ),
        "",
    ]
    section = "\n".join(lines)
    text = RESULTS.read_text(encoding="utf-8")
    import re

    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    print(f"recorded in {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    raise SystemExit(main())
