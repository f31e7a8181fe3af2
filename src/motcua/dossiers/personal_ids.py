"""Validation of identification numbers (one-stop rules §13, rule R14).

A 12-digit personal identification number reads ``PPP G YY RRRRRR``: ``PPP`` the province
where the birth was registered (the *old* 63-province codes, never re-mapped after the
2025 merger), ``G`` century and sex (0/1 = 1900s male/female, 2/3 = 2000s, … 8/9 = 2300s),
``YY`` the last two digits of the year of birth, then six random digits; no check digit.
A 9-digit number is an old identity card (CMND) and is accepted as such, with its own
type. Country codes for people born abroad are not published: such numbers are rejected
by the prefix rule until the list is configured (setting ``DOSSIER_EXTRA_ID_PREFIXES``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.enums import IdType
from motcua.dossiers.errors import InvalidPersonalId
from motcua.kernel import clock

__all__ = ["PROVINCE_PREFIXES", "ParsedPersonalId", "classify_id_number", "parse_personal_id"]

# The 63 provinces and cities before 1 July 2025 (Decision 124/2004/QĐ-TTg codes, 3 digits).
PROVINCE_PREFIXES = frozenset(
    {
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019",
        "020", "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036",
        "037", "038", "040", "042", "044", "045", "046", "048", "049", "051", "052", "054",
        "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
        "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093",
        "094", "095", "096",
    }
)  # fmt: skip

_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class ParsedPersonalId:
    province_prefix: str
    birth_year: int
    is_female: bool


def parse_personal_id(
    number: str, *, birth_year: int | None = None, is_female: bool | None = None
) -> ParsedPersonalId:
    """Return the parts of a 12-digit personal identification number.

    When ``birth_year`` / ``is_female`` are known they must agree with the number
    (``001303012345`` is a woman born in 2003: valid with 2003, invalid with 1993).
    Raise ``InvalidPersonalId`` naming the first rule broken.
    """
    if len(number) != 12 or not _DIGITS.match(number):
        raise InvalidPersonalId(params={"reason": _("phải gồm đúng 12 chữ số.")})
    prefixes = PROVINCE_PREFIXES | frozenset(getattr(settings, "DOSSIER_EXTRA_ID_PREFIXES", ()))
    if number[:3] not in prefixes:
        raise InvalidPersonalId(
            params={"reason": _("ba số đầu không phải mã tỉnh nơi đăng ký khai sinh.")}
        )
    gender_century = int(number[3])
    year = 1900 + (gender_century // 2) * 100 + int(number[4:6])
    female = gender_century % 2 == 1
    if year > clock.local(clock.now()).year:
        raise InvalidPersonalId(params={"reason": _("năm sinh mã hóa trong số là năm tương lai.")})
    if birth_year is not None and birth_year != year:
        raise InvalidPersonalId(params={"reason": _("không khớp với năm sinh đã khai.")})
    if is_female is not None and is_female != female:
        raise InvalidPersonalId(params={"reason": _("không khớp với giới tính đã khai.")})
    return ParsedPersonalId(province_prefix=number[:3], birth_year=year, is_female=female)


def classify_id_number(
    number: str,
    *,
    is_organisation: bool = False,
    birth_year: int | None = None,
    is_female: bool | None = None,
) -> IdType:
    """Validate an applicant's or submitter's number and return its ``IdType``.

    Persons: 12 digits → ``PERSONAL_ID12`` (validated by ``parse_personal_id``), 9 digits →
    ``LEGACY_ID9``; anything else raises ``InvalidPersonalId``. Organisations: an
    enterprise or tax code of 10 digits, optionally ``-`` and 3 digits for a branch.
    """
    number = number.strip()
    if is_organisation:
        if re.fullmatch(r"\d{10}(-\d{3})?", number):
            return IdType.ORGANISATION_CODE
        raise InvalidPersonalId(
            params={"reason": _("mã số doanh nghiệp gồm 10 chữ số (chi nhánh: thêm -xxx).")}
        )
    if len(number) == 9 and _DIGITS.match(number):
        return IdType.LEGACY_ID9
    parse_personal_id(number, birth_year=birth_year, is_female=is_female)
    return IdType.PERSONAL_ID12
