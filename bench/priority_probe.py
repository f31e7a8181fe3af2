"""How much does a busy process at a given CPU priority slow the dossier list?

The question behind ``motcua worker --nice`` / ``--idle`` (ADR 0023): beside the web
server, which priority lets the worker use the spare core without moving the list's
p95? This probe leaves the worker out: it serves the list API with gunicorn on the
``bench_sync`` database (load it with ``bench/sync_bench.py`` first), reads it with one
client, and alternates windows of ``--window`` seconds with nothing else running and
with ``--procs`` busy loops (``while 1: pass``) started at the priority asked for:
``idle`` (Linux ``SCHED_IDLE``, ``chrt -i 0``), ``nice`` (``nice -n --nice``) or
``normal``. It prints the list's p50 and p95 in both kinds of window.

    python bench/priority_probe.py idle
    python bench/priority_probe.py nice --nice 10 --rounds 4
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import dossiers_bench as base  # noqa: E402  (shared helpers: sessions, percentiles, timer)

ROOT = HERE.parent
URL = "/api/v1/dossiers/?scope=agency"


def _busy(mode: str, nice: int) -> subprocess.Popen[bytes]:
    prefix = {"idle": ["chrt", "-i", "0"], "nice": ["nice", "-n", str(nice)], "normal": []}[mode]
    return subprocess.Popen([*prefix, sys.executable, "-c", "while 1: pass"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=("idle", "nice", "normal"))
    parser.add_argument("--nice", type=int, default=10)
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--window", type=float, default=8.0)
    parser.add_argument("--port", type=int, default=18971)
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/bench_sync",
        "DEBUG": "0",
        "MOTCUA_VAR_DIR": tempfile.mkdtemp(prefix="priority-probe-"),
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")), "motcua.wsgi", "-w", "2",
            "-b", f"127.0.0.1:{args.port}", "--log-level", "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{args.port}"
    try:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            base._wait_for(client, "/healthz")
        cookie = base._sessions(env)["xemxet.tuphap"]
        quiet: list[float] = []
        busy: list[float] = []
        with base._Timer(base_url, cookie) as timer:
            for _ in range(20):  # warm the server's caches
                timer.get(URL)
            for _ in range(args.rounds):
                began = time.perf_counter()
                while time.perf_counter() - began < args.window:
                    quiet.append(timer.get(URL))
                loops = [_busy(args.mode, args.nice) for _ in range(args.procs)]
                time.sleep(0.3)
                began = time.perf_counter()
                while time.perf_counter() - began < args.window:
                    busy.append(timer.get(URL))
                for loop in loops:
                    loop.kill()
                    loop.wait()
                time.sleep(0.3)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    q, b = base._percentiles(quiet), base._percentiles(busy)
    label = f"nice {args.nice}" if args.mode == "nice" else args.mode
    print(
        f"{label} × {args.procs}: nothing else p50 {q['p50']:.1f} ms p95 {q['p95']:.1f} ms "
        f"({q['n']:.0f} requests) | busy loop p50 {b['p50']:.1f} ms p95 {b['p95']:.1f} ms "
        f"({b['n']:.0f} requests): p95 {100 * (b['p95'] / q['p95'] - 1):+.0f} %"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
