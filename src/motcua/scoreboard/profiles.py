"""Formula profiles: the scoring methodology as versioned data (§11.5–§11.7, R67, R69).

A profile says, for each indicator, its maximum points, its threshold (a rate at or
above it earns the maximum; below, points in proportion), what an empty denominator, an
indicator the platform's data does not support, and an indicator that does not apply
to a kind of unit are worth; which indicators make each group and the group's cap; the
five bands; the tolerance within which totals tie. ``check_definition`` validates one;
``DEFAULT_DEFINITION`` is the Decision 766 methodology as the national portal computes
it (profile ``qd766`` v1, loaded by migration ``scoreboard.0002``).
"""

from __future__ import annotations

import itertools
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from motcua.scoreboard.enums import Band, UnitKind
from motcua.scoreboard.errors import InvalidProfile, ProfileMaximaNot100

__all__ = [
    "DEFAULT_DEFINITION",
    "BandRule",
    "GroupRule",
    "IndicatorRule",
    "ProfileDefinition",
    "check_definition",
]

WhenEmpty = Literal["zero", "full", "na"]
Award = Literal["zero", "full"]


class IndicatorRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max: float = Field(ge=0, le=100)
    # Rate (in %) from which the indicator earns its maximum (§11.6: 100, 90, 80 or 50).
    threshold: float = Field(default=100, gt=0, le=100)
    # No denominator: N/A (counts 0 in the total), 0 points or full points.
    when_empty: WhenEmpty = "na"
    # The platform holds no data for it (petitions, certified copies …).
    when_unsupported: Award = "zero"
    # Not measured for this kind of unit (e.g. rows 16–17 for communes, §11.3).
    when_not_applicable: Award = "full"
    unit_kinds: list[UnitKind] | None = None
    # 3.3 of the formula document: the online rate is multiplied by the sync rate / 100.
    sync_coefficient: bool = False


class GroupRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1, max_length=10)
    max: float = Field(ge=0, le=100)
    indicators: list[str] = Field(min_length=1)


class BandRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Band
    min: float = Field(ge=0, le=100)


class ProfileDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    groups: list[GroupRule] = Field(min_length=1)
    indicators: dict[str, IndicatorRule]
    bands: list[BandRule] = Field(min_length=5, max_length=5)
    tie_tolerance: float = Field(default=0.001, ge=0, le=1)

    def group_of(self, indicator: str) -> GroupRule:
        for group in self.groups:
            if indicator in group.indicators:
                return group
        raise KeyError(indicator)

    def band_of(self, total: float) -> Band:
        for band in self.bands:
            if total >= band.min:
                return band.code
        return self.bands[-1].code


def _i(max_: float, **extra: Any) -> dict[str, Any]:
    return {"max": max_, **extra}


_NOT_COMMUNES = [UnitKind.MINISTRY, UnitKind.PROVINCE, UnitKind.DEPARTMENT]

DEFAULT_DEFINITION: dict[str, Any] = {
    "groups": [
        {
            "code": "CKMB",
            "max": 18,
            "indicators": [
                "PUBLISH_ON_TIME",
                "PUBLIC_UPDATE_ON_TIME",
                "PUBLIC_CONTENT_FULL",
                "DOSSIER_SYNC",
            ],
        },
        {"code": "TDGQ", "max": 20, "indicators": ["DOSSIER_ON_TIME"]},
        {
            "code": "CLGQ",
            "max": 12,
            "indicators": [
                "ONLINE_PROCEDURES",
                "ONLINE_SERVICE_USE",
                "ONLINE_DOSSIERS",
                "FULL_ONLINE_PROCEDURES",
                "FULL_ONLINE_DOSSIERS",
                "DIRECT_DOSSIERS",
                "POSTAL_DOSSIERS",
            ],
        },
        {
            "code": "TTTT",
            "max": 10,
            "indicators": [
                "PAYMENT_ONLINE_DOSSIERS",
                "PAYMENT_ONLINE_PROCEDURES",
                "FEE_PROCEDURES_WITH_DOSSIERS",
            ],
        },
        {
            "code": "MDSH",
            "max": 22,
            "indicators": [
                "ORIGINAL_RESULT_AVAILABLE",
                "SO_HOA_GIAY_TO_GIAI_QUYET",
                "ELECTRONIC_CERTIFIED_COPY",
                "REUSED_DIGITIZED_DATA",
                "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
                "CITIZEN_DATA_CONNECTED_DOSSIER",
                "CITIZEN_DATA_CONNECTED_FORMALITY",
            ],
        },
        {
            "code": "MDHL",
            "max": 18,
            "indicators": [
                "PETITION_CLASSIFICATION_TTHC",
                "PETITION_CLASSIFICATION_STAFF",
                "PETITION_PROCESSING_ON_TIME",
                "PETITION_HANDLING_SATISFACTION",
                "DOSSIER_RECEIVING_SATISFACTION",
                "RATING_SATISFIED",
            ],
        },
    ],
    "indicators": {
        # 1 — transparency: score = max × rate / 100 (§11.5).
        "PUBLISH_ON_TIME": _i(6),
        "PUBLIC_UPDATE_ON_TIME": _i(4, unit_kinds=[UnitKind.MINISTRY, UnitKind.PROVINCE]),
        "PUBLIC_CONTENT_FULL": _i(2),
        "DOSSIER_SYNC": _i(6),
        # 2 — progress: 20 × on time / received.
        "DOSSIER_ON_TIME": _i(20),
        # 3 — online, profile "qd766-online-v1": min(2, 2A/0.8) + 4B + min(6, 6C/0.5).
        "ONLINE_PROCEDURES": _i(2, threshold=80),
        "ONLINE_SERVICE_USE": _i(4),
        "ONLINE_DOSSIERS": _i(6, threshold=50),
        "FULL_ONLINE_PROCEDURES": _i(0),
        "FULL_ONLINE_DOSSIERS": _i(0),
        "DIRECT_DOSSIERS": _i(0),
        "POSTAL_DOSSIERS": _i(0),
        # 4 — payment: 6A + min(2, 2.5B) + 2.5C, capped at 10 by the group.
        "PAYMENT_ONLINE_DOSSIERS": _i(6),
        "PAYMENT_ONLINE_PROCEDURES": _i(2, threshold=80),
        "FEE_PROCEDURES_WITH_DOSSIERS": _i(2.5),
        # 5 — digitisation 6/4/2/2/4/2/2 (thresholds of R67: 80 % for 4.2 and 4.3).
        "ORIGINAL_RESULT_AVAILABLE": _i(6),
        "SO_HOA_GIAY_TO_GIAI_QUYET": _i(4, threshold=80),
        "ELECTRONIC_CERTIFIED_COPY": _i(2),
        "REUSED_DIGITIZED_DATA": _i(2, threshold=80),
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": _i(4),
        "CITIZEN_DATA_CONNECTED_DOSSIER": _i(2, unit_kinds=_NOT_COMMUNES),
        "CITIZEN_DATA_CONNECTED_FORMALITY": _i(2, unit_kinds=_NOT_COMMUNES),
        # 6 — satisfaction: petitions are not in the platform; no PAKN ⇒ 6 + 6 (API rule).
        "PETITION_CLASSIFICATION_TTHC": _i(0),
        "PETITION_CLASSIFICATION_STAFF": _i(0),
        "PETITION_PROCESSING_ON_TIME": _i(6, when_unsupported="full"),
        "PETITION_HANDLING_SATISFACTION": _i(6, when_unsupported="full"),
        "DOSSIER_RECEIVING_SATISFACTION": _i(6, threshold=90, when_empty="zero"),
        "RATING_SATISFIED": _i(0),
    },
    "bands": [
        {"code": Band.EXCELLENT, "min": 90},
        {"code": Band.GOOD, "min": 80},
        {"code": Band.FAIR, "min": 70},
        {"code": Band.AVERAGE, "min": 50},
        {"code": Band.WEAK, "min": 0},
    ],
    "tie_tolerance": 0.001,
}


def _errors(exc: ValidationError) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "definition"
        out.setdefault(where, []).append(error["msg"])
    return out


def check_definition(data: dict[str, Any], known_indicators: frozenset[str]) -> ProfileDefinition:
    """Return the validated definition; raise ``InvalidProfile`` (field errors) or
    ``ProfileMaximaNot100`` when the group maxima do not add up to 100."""
    try:
        definition = ProfileDefinition.model_validate(data)
    except ValidationError as exc:
        raise InvalidProfile(field_errors=_errors(exc)) from None
    problems: dict[str, list[Any]] = {}
    seen: set[str] = set()
    for index, group in enumerate(definition.groups):
        for code in group.indicators:
            if code not in known_indicators:
                problems.setdefault(f"groups.{index}.indicators", []).append(
                    _("Không có chỉ số %(code)s.") % {"code": code}
                )
            elif code in seen:
                problems.setdefault(f"groups.{index}.indicators", []).append(
                    _("Chỉ số %(code)s nằm trong hai nhóm.") % {"code": code}
                )
            elif code not in definition.indicators:
                problems.setdefault(f"indicators.{code}", []).append(
                    _("Thiếu điểm tối đa của chỉ số %(code)s.") % {"code": code}
                )
            seen.add(code)
        reachable = sum(
            definition.indicators[c].max for c in group.indicators if c in definition.indicators
        )
        if reachable + 1e-9 < group.max:
            problems.setdefault(f"groups.{index}.max", []).append(
                _(
                    "Các chỉ số của nhóm %(group)s chỉ đạt tối đa %(reachable)s điểm, thấp hơn %(max)s."
                )
                % {"group": group.code, "reachable": reachable, "max": group.max}
            )
    for code in definition.indicators:
        if code not in seen:
            problems.setdefault(f"indicators.{code}", []).append(
                _("Chỉ số %(code)s không thuộc nhóm nào.") % {"code": code}
            )
    codes = [band.code for band in definition.bands]
    mins = [band.min for band in definition.bands]
    if sorted(codes) != sorted(Band.values) or any(a <= b for a, b in itertools.pairwise(mins)):
        problems.setdefault("bands", []).append(
            _("Phải có đủ năm mức xếp loại, ngưỡng giảm dần từ Xuất sắc đến Yếu.")
        )
    elif mins[-1] != 0:
        problems.setdefault("bands", []).append(_("Mức Yếu phải bắt đầu từ 0 điểm."))
    total = sum(group.max for group in definition.groups)
    if abs(total - 100) > 1e-9:
        raise ProfileMaximaNot100(
            params={"total": f"{total:g}"},
            field_errors={
                "groups": [ProfileMaximaNot100.default_message % {"total": f"{total:g}"}]
            },
        )
    if problems:
        raise InvalidProfile(field_errors=problems)
    return definition
