"""Benchmark of documents: PDF rendering of forms 01–07 and results, signing, verification.

No database: the pure functions behind the actions are timed (``render_form``,
``render_result_pdf``, ``sign_pdf``, ``check_signature``) on one core, with a local CA in
a temporary directory. Each operation runs ``--repeat`` times (default 5) after one
warm-up (font loading); the figure is the median CPU time of this process per document
in milliseconds (CPU time, so other load on the machine does not count), with the
median wall time beside it. ``--record`` rewrites the "## Documents (PDF rendering and
signing)" section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

CA_DIR = Path(tempfile.mkdtemp(prefix="motcua-bench-ca-"))
if not settings.configured:
    settings.configure(
        INSTALLED_APPS=["motcua.documents"],
        TEMPLATES=[
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}
        ],
        USE_TZ=True,
        TIME_ZONE="Asia/Ho_Chi_Minh",
        USE_I18N=True,
        LANGUAGE_CODE="vi",
        LOCALE_PATHS=[ROOT / "src" / "motcua" / "locale"],
        DOCUMENTS_CA_DIR=CA_DIR,
        VAR_DIR=CA_DIR,
        LOGGING_CONFIG=None,
    )
    django.setup()

from tests.documents.samples import make_context  # noqa: E402

from motcua.documents.ca import get_local_ca  # noqa: E402
from motcua.documents.forms import FormRuleSet, kinds_in, render_form  # noqa: E402
from motcua.documents.rendering import render_result_pdf  # noqa: E402
from motcua.documents.signing import check_signature, sign_pdf  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Documents (PDF rendering and signing)"
CODE = "000.00.12.H56-260305-0001-KQ1"


def _measure(label: str, function: Callable[[], object], repeat: int) -> tuple[str, float, float]:
    function()  # warm-up: fonts, templates, imports
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(repeat):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        function()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    cpu_ms, wall_ms = statistics.median(cpu) * 1000, statistics.median(wall) * 1000
    print(f"{label:<52} {cpu_ms:>8.0f} ms CPU {wall_ms:>8.0f} ms wall", flush=True)
    return label, cpu_ms, wall_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--record", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    credentials = get_local_ca().credentials_for("000.00.12.H56", "Sở Tư pháp tỉnh Thanh Hóa")
    ca_seconds = time.perf_counter() - start
    print(f"local CA (root + one agency, RSA 2048) created in {ca_seconds * 1000:.0f} ms")

    results = []
    for rule_set in FormRuleSet:
        for kind in kinds_in(rule_set):
            context = make_context(kind, rule_set)
            number = render_form(context).form_number
            label = f"render form {rule_set.value}/{number} ({kind.name.lower()})"
            results.append(_measure(label, lambda c=context: render_form(c), args.repeat))

    def result_pdf() -> bytes:
        return render_result_pdf(
            code=CODE,
            title="Giấy khai sinh",
            agency_name="Sở Tư pháp tỉnh Thanh Hóa",
            signer_name="Trần Văn Ký",
            holder_name="Nguyễn Văn An",
            issued_at=dt.datetime(2026, 3, 9, 2, 0, tzinfo=dt.UTC),
            verify_url=f"https://motcua.example.vn/xac-minh/{CODE}/",
            body={"fields": [("Họ, chữ đệm, tên", "Nguyễn Văn An")], "place_name": "Thanh Hóa"},
        )

    unsigned = result_pdf()
    signed = sign_pdf(unsigned, credentials=credentials, reason="Giấy khai sinh")
    root = credentials.root
    results.append(_measure("render result PDF (unsigned)", result_pdf, args.repeat))
    results.append(
        _measure(
            "sign result (PAdES B-B, RSA 2048, SHA-256)",
            lambda: sign_pdf(unsigned, credentials=credentials, reason="Giấy khai sinh"),
            args.repeat,
        )
    )
    results.append(
        _measure(
            "verify signed result against the local root",
            lambda: check_signature(signed, trust_root=root),
            args.repeat,
        )
    )
    if args.record:
        _record(results, args.repeat, len(unsigned), len(signed))
    return 0


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _record(
    results: list[tuple[str, float, float]], repeat: int, unsigned: int, signed: int
) -> None:
    from importlib.metadata import version

    forms = [cpu for label, cpu, _wall in results if label.startswith("render form")]
    lines = [
        HEADING,
        "",
        f"`python bench/documents_bench.py --record`, {dt.date.today():%Y-%m-%d}. Machine: "
        f"{os.cpu_count()} cores ({_cpu_name()}), Python {platform.python_version()}, "
        f"WeasyPrint {version('weasyprint')}, pyHanko {version('pyhanko')}; one core, no "
        f"database. Median of {repeat} runs after one warm-up; CPU time of the process "
        "(wall time beside it: the machine was shared). Forms filled as in the tests "
        f"(2 components, 2 hand-overs, 1 register row, a QR code). Result PDF {unsigned:,} bytes, "
        f"{signed:,} bytes signed.",
        "",
        "| operation | ms CPU per document | ms wall |",
        "|---|---:|---:|",
        *(f"| {label} | {cpu:,.0f} | {wall:,.0f} |" for label, cpu, wall in results),
        "",
        f"Forms: {min(forms):,.0f}–{max(forms):,.0f} ms CPU each, so one process renders about "
        f"{1000 / statistics.mean(forms):,.1f} forms per second; rendering, not signing, is the "
        "cost of an issued result.",
        "",
    ]
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    section = "\n".join(lines)
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    print(f"recorded in {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    raise SystemExit(main())
