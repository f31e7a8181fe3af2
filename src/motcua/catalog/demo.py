"""Demo data: a catalogue of realistic procedures for the demo province (Thanh Hóa).

``demo_data/procedures.json`` is an import file in the exchange format
(``catalog.schemas``, ``docs/catalog/import-format.md``): procedures at commune,
province and ministry level, inter-agency ones (birth registration + permanent
residence + health insurance card), full-process online ones and boundary-free ones,
whose implementing agencies are those of ``agencies.demo``. The legal bases are real,
well-known documents; the procedure codes have the national format but are not all the
official ones, and the forms in ``demo_data/forms/`` are illustrations.

``load_demo`` copies the form files into the default storage and imports the file
through ``do_import_procedures`` with publication. Idempotent: a procedure whose
content is unchanged is left alone, so a second run writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import default_storage

from motcua.catalog.actions import do_import_procedures
from motcua.catalog.importing import read_import_file
from motcua.kernel.actors import Actor

__all__ = ["DEMO_FILE", "FORMS_DIR", "STORAGE_PREFIX", "load_demo", "store_demo_forms"]

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
DEMO_FILE = DATA_DIR / "procedures.json"
FORMS_DIR = DATA_DIR / "forms"
# The import file names the forms by these storage names (``forms[].file``).
STORAGE_PREFIX = "catalog/forms/demo/"


def store_demo_forms() -> int:
    """Copy the demo form files missing from the default storage; return how many."""
    copied = 0
    for path in sorted(FORMS_DIR.glob("*.pdf")):
        name = STORAGE_PREFIX + path.name
        if default_storage.exists(name):
            continue
        with path.open("rb") as handle:
            saved = default_storage.save(name, File(handle, name=path.name))
        # A storage that renames on collision would break the file's references.
        if saved != name:
            raise RuntimeError(f"storage saved {name} as {saved}")
        copied += 1
    return copied


def load_demo() -> list[str]:
    """Import and publish the demo catalogue; return the line to print.

    Raise ``catalog.errors.ImportRejected`` (its report names every invalid row) when
    the file does not fit the database, e.g. when the demo agencies are missing.
    """
    store_demo_forms()
    batch = read_import_file(DEMO_FILE.read_bytes())
    report = do_import_procedures(batch, actor=Actor.system("demo"), publish=True)
    return [
        f"Danh mục: {report.total} thủ tục ({len(report.created)} mới, "
        f"{len(report.unchanged)} không đổi, {len(report.published)} được công bố) — "
        "tra cứu tại /thu-tuc/."
    ]
