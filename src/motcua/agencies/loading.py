"""Rows of administrative units read from the ``vietnam-provinces`` package.

The package gives the 34 provinces and 3,321 communes in force since 1 July 2025,
the 63 provinces, 696 districts and 10,051 communes of the old 3-level list (as they
stood on 30 June 2025), and the official old → new conversion tables. This module
only *reads* them into plain rows; ``actions.do_load_admin_units`` writes them.

The conversion tables are private modules of the package (``_province_conversion_2025``,
``_ward_conversion_2025``): the public API only goes from new to old and drops the
"partly merged" flag. The package version is pinned in ``pyproject.toml`` and the
loader tests count the rows, so an upgrade that moves them fails loudly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from motcua.agencies.models import LEGACY_SCHEME_START, REFORM_DATE, AdminUnitLevel, AdminUnitScheme

__all__ = [
    "SuccessionRow",
    "UnitKey",
    "UnitRow",
    "current_units",
    "legacy_successions",
    "legacy_units",
]

# (scheme, level, code) — the natural key of an AdminUnit.
UnitKey = tuple[str, str, str]

_WIDTH = {AdminUnitLevel.PROVINCE: 2, AdminUnitLevel.DISTRICT: 3, AdminUnitLevel.COMMUNE: 5}


def _code(level: AdminUnitLevel, number: int) -> str:
    return str(number).zfill(_WIDTH[level])


@dataclass(frozen=True, slots=True)
class UnitRow:
    scheme: str
    level: str
    code: str
    name: str
    parent: UnitKey | None
    valid_from: dt.date
    valid_to: dt.date | None
    successor: UnitKey | None = None

    @property
    def key(self) -> UnitKey:
        return (self.scheme, self.level, self.code)


@dataclass(frozen=True, slots=True)
class SuccessionRow:
    predecessor: UnitKey
    successor: UnitKey
    is_partial: bool


def _new(level: AdminUnitLevel, number: int) -> UnitKey:
    return (AdminUnitScheme.CURRENT.value, level.value, _code(level, number))


def _old(level: AdminUnitLevel, number: int) -> UnitKey:
    return (AdminUnitScheme.LEGACY.value, level.value, _code(level, number))


def current_units() -> list[UnitRow]:
    """Return the 34 provinces, then the 3,321 communes in force since 1 July 2025."""
    from vietnam_provinces import Province, Ward

    P, C = AdminUnitLevel.PROVINCE, AdminUnitLevel.COMMUNE
    scheme = AdminUnitScheme.CURRENT.value
    rows = [
        UnitRow(scheme, P.value, _code(P, p.code.value), p.name, None, REFORM_DATE, None)
        for p in sorted(Province.iter_all(), key=lambda p: p.code.value)
    ]
    rows += [
        UnitRow(
            scheme,
            C.value,
            _code(C, w.code.value),
            w.name,
            _new(P, w.province_code.value),
            REFORM_DATE,
            None,
        )
        for w in sorted(Ward.iter_all(), key=lambda w: w.code.value)
    ]
    return rows


def _principal(old_code: int, new_codes: list[int]) -> int | None:
    # The unit that kept the old code, else the only one; a unit split several ways
    # without keeping its code has no principal successor (its successions say all).
    if old_code in new_codes:
        return old_code
    return new_codes[0] if len(new_codes) == 1 else None


def legacy_units() -> list[UnitRow]:
    """Return the 63 provinces, 696 districts and 10,051 communes valid until 1 July 2025.

    Provinces and communes carry their principal 2025 successor; districts were
    abolished and have none.
    """
    from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW as PROVINCES_OLD_TO_NEW
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARDS_OLD_TO_NEW
    from vietnam_provinces.legacy import District, Province, Ward

    P, D, C = AdminUnitLevel.PROVINCE, AdminUnitLevel.DISTRICT, AdminUnitLevel.COMMUNE
    scheme, start, end = AdminUnitScheme.LEGACY.value, LEGACY_SCHEME_START, REFORM_DATE
    rows: list[UnitRow] = []
    for p in sorted(Province.iter_all(), key=lambda p: p.code.value):
        entry = PROVINCES_OLD_TO_NEW.get(p.code.value)
        new = _principal(p.code.value, [ref.code for ref in entry.new_provinces]) if entry else None
        rows.append(
            UnitRow(
                scheme,
                P.value,
                _code(P, p.code.value),
                p.name,
                None,
                start,
                end,
                _new(P, new) if new is not None else None,
            )
        )
    districts = sorted(District.iter_all(), key=lambda d: d.code.value)
    rows += [
        UnitRow(
            scheme,
            D.value,
            _code(D, d.code.value),
            d.name,
            _old(P, d.province_code.value),
            start,
            end,
        )
        for d in districts
    ]
    for w in sorted(Ward.iter_all(), key=lambda w: w.code.value):
        ward_entry = WARDS_OLD_TO_NEW.get(w.code.value)
        new = (
            _principal(w.code.value, [ref.code for ref in ward_entry.new_wards])
            if ward_entry
            else None
        )
        rows.append(
            UnitRow(
                scheme,
                C.value,
                _code(C, w.code.value),
                w.name,
                _old(D, w.district_code.value),
                start,
                end,
                _new(C, new) if new is not None else None,
            )
        )
    return rows


def legacy_successions() -> list[SuccessionRow]:
    """Return every old → new pair of the official conversion tables (provinces, communes)."""
    from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW as PROVINCES_OLD_TO_NEW
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARDS_OLD_TO_NEW

    P, C = AdminUnitLevel.PROVINCE, AdminUnitLevel.COMMUNE
    rows = [
        SuccessionRow(_old(P, old), _new(P, ref.code), len(entry.new_provinces) > 1)
        for old, entry in sorted(PROVINCES_OLD_TO_NEW.items())
        for ref in entry.new_provinces
    ]
    rows += [
        SuccessionRow(
            _old(C, old),
            _new(C, ref.code),
            entry.old_ward.is_partly_merged or len(entry.new_wards) > 1,
        )
        for old, entry in sorted(WARDS_OLD_TO_NEW.items())
        for ref in entry.new_wards
    ]
    return rows
