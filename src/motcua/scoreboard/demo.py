"""Demo data of the scoreboard: the units, a year of figures, the live catalogue figures.

Runs after the demo dossiers exist (``DEMO_LOADERS``): it creates the evaluated units
of the demo agencies and recomputes the current year from the dossiers, so the public
scoreboard shows every demo unit at once; from then on the worker keeps it current
(a dossier finished in the demo shows on the scoreboard within seconds). Idempotent.
"""

from __future__ import annotations

from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.scoreboard import actions

__all__ = ["load_demo"]


def load_demo() -> list[str]:
    actor = Actor.system("demo")
    actions.do_sync_units(actor=actor)
    year = clock.local(clock.now()).year
    report = actions.do_recompute_year(year, actor=actor)
    return [f"Chỉ số phục vụ (QĐ 766): {report.facts} hồ sơ năm {year} — xem tại /chi-so-phuc-vu/."]
