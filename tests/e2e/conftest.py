"""Browser-test harness: Debian's Chromium driven by Playwright against a live server.

Every test under ``tests/e2e/`` is marked ``e2e`` here, so the default run
(``-m "not e2e"``) skips them and ``make test-e2e`` runs only them. The browser is
``/usr/bin/chromium`` (``scripts/install-chromium``; override with ``MOTCUA_CHROMIUM``)
because ``playwright install`` cannot download browsers on our machines. Pages are
served by pytest-django's ``live_server`` on the test database (a SQLite file by
default), with every test in a ``transactional_db`` so the server thread sees its data;
the browser context's ``base_url`` is that server, so a test writes ``page.goto("/")``.

``axe_check(page)`` runs the vendored axe-core (``tests/e2e/vendor/axe.min.js``) on
the page and fails the test on any WCAG 2.0/2.1/2.2 A or AA violation.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

# CI runs on two busy cores; Playwright's default 5 s for expect() makes slow, not wrong,
# pages fail. A real hang still fails, after 15 s.
expect.set_options(timeout=15_000)

E2E_DIR = Path(__file__).resolve().parent
AXE_SCRIPT = E2E_DIR / "vendor" / "axe.min.js"
CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

AxeCheck = Callable[..., None]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test collected from this directory ``e2e``."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def _allow_django_db_beside_playwright() -> Iterator[None]:
    """Let Django touch the database while Playwright's event loop runs in this thread.

    Playwright's sync API keeps an event loop running in the test thread, and Django
    then refuses the database work pytest-django does around each test. Set only while
    browser tests run, so the unit tests keep Django's async-safety check.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium with the flags that keep it quiet and offline."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/install-chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], live_server: Any) -> dict[str, Any]:
    """Browse the live server as a Vietnamese user in Vietnam, whatever the machine's locale.

    ``base_url`` is the live server, so tests write ``page.goto("/")``.
    """
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
    }


@pytest.fixture(autouse=True)
def _e2e_database(transactional_db: None) -> None:
    """Give every browser test a database the live server thread can see."""


@pytest.fixture
def axe_check() -> AxeCheck:
    """Return ``check(page, *, exclude=())`` that fails on any WCAG A/AA violation.

    ``exclude`` lists CSS selectors to leave out (third-party widgets only, with a
    comment saying why). The failure message lists each rule, its impact, the help URL
    and the offending elements.
    """
    source = AXE_SCRIPT.read_text(encoding="utf-8")

    def check(page: Any, *, exclude: tuple[str, ...] = ()) -> None:
        # evaluate() is not subject to the page's Content-Security-Policy, a script tag is.
        page.evaluate(source)
        results = page.evaluate(
            """async ([tags, exclude]) => {
                const context = exclude.length
                    ? {include: [document], exclude: exclude.map((s) => [s])}
                    : document;
                return await axe.run(context, {
                    runOnly: {type: "tag", values: tags},
                    resultTypes: ["violations"],
                });
            }""",
            [AXE_TAGS, list(exclude)],
        )
        violations = results["violations"]
        if violations:
            pytest.fail(format_violations(page.url, violations), pytrace=False)

    return check


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    """Return axe's violations as a readable report, one rule and its nodes at a time."""
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"][:10]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    * {target}\n      {node['html'][:200]}\n      {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.fixture
def fake_eid_live(_fake_eid_server: Any, settings: Any, live_server: Any) -> Iterator[Any]:
    """The local national e-ID provider, usable by the live server (``tests/e2e/eid.py``)."""
    from tests.identity.eid import allow_origin

    _fake_eid_server.reset()
    allow_origin(_fake_eid_server.provider, live_server.url)
    _fake_eid_server.point_settings(settings)
    yield _fake_eid_server
    _fake_eid_server.reset()
