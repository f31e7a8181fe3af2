"""The vendored front-end assets are the versions ``scripts/vendor-assets`` pins."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (ROOT / "scripts" / "vendor-assets").read_text(encoding="utf-8")
STATIC_VENDOR = ROOT / "src" / "motcua" / "static" / "vendor"
E2E_VENDOR = ROOT / "tests" / "e2e" / "vendor"


def pinned(name: str) -> str:
    match = re.search(rf'^{name}="([0-9.]+)"', SCRIPT, re.MULTILINE)
    assert match, f"{name} is not pinned in scripts/vendor-assets"
    return match.group(1)


@pytest.mark.parametrize(
    ("folder", "variable", "files", "banner"),
    [
        (
            STATIC_VENDOR / "bootstrap",
            "BOOTSTRAP_VERSION",
            ["bootstrap.min.css", "bootstrap.bundle.min.js"],
            r"Bootstrap\s+v{version} ",
        ),
        (STATIC_VENDOR / "htmx", "HTMX_VERSION", ["htmx.min.js"], r'version:"{version}"'),
    ],
)
def test_vendored_package_matches_the_pinned_version(
    folder: Path, variable: str, files: list[str], banner: str
) -> None:
    # Given the version the script pins
    version = pinned(variable)

    # Then the folder records it, ships the licence, and every file is that release
    assert (folder / "VERSION").read_text(encoding="utf-8") == version + "\n"
    assert (folder / "LICENSE").stat().st_size > 0
    for name in files:
        text = (folder / name).read_text(encoding="utf-8")
        assert re.search(banner.format(version=re.escape(version)), text), name
        # Source maps are not vendored, so nothing may point to one (collectstatic).
        assert "sourceMappingURL" not in text, name
    assert sorted(p.name for p in folder.iterdir()) == sorted(["LICENSE", "VERSION", *files])


def test_axe_core_for_the_browser_tests_matches_the_pinned_version() -> None:
    version = pinned("AXE_CORE_VERSION")

    assert (E2E_VENDOR / "VERSION-axe-core").read_text(encoding="utf-8") == version + "\n"
    assert (E2E_VENDOR / "LICENSE-axe-core").stat().st_size > 0
    assert (E2E_VENDOR / "axe.min.js").read_text(encoding="utf-8").startswith(f"/*! axe v{version}")
