"""Agency identifiers of QCVN 102:2016/BTTTT: ``NNN.NN.NN.Xnn``.

The four groups are levels 4 . 3 . 2 . 1 of the agency tree, unused levels filled with
zeros; level 1 is a letter and two digits (``G09`` a ministry, ``H56`` the People's
Committee of Thanh Hóa). ``000.00.00.H56`` is the province itself, ``000.00.12.H56``
unit 12 directly under it, ``000.01.12.H56`` unit 1 under unit 12.

Only the full form is accepted. The short form ``G09.20`` seen in some national data
is not needed by anything in motcua (dossier codes and edXML use the full form), and
its expansion into the full form is not documented, so guessing it would store wrong
codes; an import that meets it must map it explicitly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.agencies.errors import InvalidAgencyCode

__all__ = ["AGENCY_CODE_PATTERN", "AgencyCode", "normalize_agency_code", "parse_agency_code"]

AGENCY_CODE_PATTERN = r"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$"
# ASCII digits only (``\d`` would accept other scripts' digits); fullmatch, so no trailing newline.
_CODE = re.compile(r"([0-9]{3})\.([0-9]{2})\.([0-9]{2})\.([A-Z][0-9]{2})")


@dataclass(frozen=True, slots=True)
class AgencyCode:
    """A parsed agency identifier: ``level4.level3.level2.block``."""

    level4: str
    level3: str
    level2: str
    block: str

    def __str__(self) -> str:
        return f"{self.level4}.{self.level3}.{self.level2}.{self.block}"

    @property
    def is_root(self) -> bool:
        """Return whether the code names a ministry or province itself (``000.00.00.Xnn``)."""
        return self.level4 == "000" and self.level3 == "00" and self.level2 == "00"

    @property
    def block_letter(self) -> str:
        """Return the level-1 letter: ``G`` ministries and Government agencies, ``H`` provinces."""
        return self.block[0]


def normalize_agency_code(code: str) -> str:
    """Return ``code`` without surrounding blanks and with an upper-case block letter."""
    return code.strip().upper()


def parse_agency_code(code: str) -> AgencyCode:
    """Parse a full QCVN 102 code; raise ``InvalidAgencyCode`` for anything else."""
    match = _CODE.fullmatch(normalize_agency_code(code))
    if match is None:
        error = InvalidAgencyCode(params={"code": code})
        error.field_errors = {"code": [error.message]}
        raise error
    return AgencyCode(*match.groups())
