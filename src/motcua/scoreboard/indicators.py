"""The indicators of Decision 766 (§11.3–§11.6) and how a scorecard is computed.

Each ``Indicator`` names its numerator and denominator over a unit's counters and
catalogue figures, and — for those counted from dossiers — the filters over
``DossierFact`` that list the dossiers behind them ("explain"). ``compute_scorecard``
applies a profile: ``rate = 100 × num / den``, ``score = max × min(1, rate / threshold)``,
a group is the sum of its indicators capped at the group's maximum, the total the sum
of the groups (§11.6). Special cases:

* no denominator → the profile's ``when_empty`` (N/A, 0 or full points; 5.4: 0);
* not supported by the platform's data (petitions, certified copies, flags no part of
  motcua records yet — ``facts.FLAG_SOURCES``) → ``when_unsupported`` (petitions: full
  points, the national portal's rule for a unit without petitions);
* not measured for the unit's kind (``unit_kinds``) → ``when_not_applicable``;
* a unit without a single dossier or procedure has no total (N/A, not ranked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.scoreboard.enums import Channel, Timeliness
from motcua.scoreboard.facts import FLAG_SOURCES
from motcua.scoreboard.profiles import ProfileDefinition

__all__ = [
    "GROUP_LABELS",
    "INDICATORS",
    "GroupResult",
    "Indicator",
    "IndicatorResult",
    "Scorecard",
    "compute_scorecard",
]

Figures = Mapping[str, int]
Filter = Callable[[str, dt.datetime], Q]

GROUP_LABELS: dict[str, Promise] = {
    "CKMB": _("Công khai, minh bạch"),
    "TDGQ": _("Tiến độ, kết quả giải quyết"),
    "CLGQ": _("Cung cấp dịch vụ công trực tuyến"),
    "TTTT": _("Thanh toán trực tuyến"),
    "MDSH": _("Số hóa hồ sơ"),
    "MDHL": _("Mức độ hài lòng"),
}


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Promise
    source: str  # "dossiers" | "catalog" | "unsupported"
    numerator: Callable[[Figures], int] | None = None
    denominator: Callable[[Figures], int] | None = None
    # Filters over DossierFact (granularity, evaluation moment) for the explain lists.
    explain_denominator: Filter | None = None
    explain_numerator: Filter | None = None
    flag: str | None = None  # the FLAG_SOURCES entry it needs

    @property
    def is_supported(self) -> bool:
        if self.source == "unsupported":
            return False
        return self.flag is None or FLAG_SOURCES[self.flag].available

    @property
    def per_procedure(self) -> bool:
        return self.source == "dossiers"

    @property
    def can_explain(self) -> bool:
        return self.source == "dossiers" and self.explain_denominator is not None


def _f(name: str) -> Callable[[Figures], int]:
    return lambda figures: int(figures.get(name, 0))


def _received(granularity: str, at: dt.datetime) -> Q:
    return Q(received_at__lte=at)


def _happened(name: str, at: dt.datetime) -> Q:
    return Q(**{f"{name}__isnull": False, f"{name}__lte": at})


def _class_in(granularity: str, *classes: str) -> Q:
    return Q(**{f"class_{granularity}__in": list(classes)})


def _has_result(at: dt.datetime) -> Q:
    return Q(result_is_document=True) & _happened("result_at", at)


def _digitised(granularity: str, at: dt.datetime) -> Q:
    with_result = _has_result(at)
    return Q(has_component_files=True) & (
        ~with_result | (with_result & _happened("e_result_at", at))
    )


def _unsatisfactory(granularity: str, at: dt.datetime) -> Q:
    return (Q(satisfaction="dissatisfied") & _happened("rated_at", at)) | _class_in(
        granularity, Timeliness.LATE, Timeliness.OVERDUE
    )


def _dossiers(
    code: str,
    label: Promise,
    numerator: Callable[[Figures], int],
    denominator: Callable[[Figures], int],
    explain_numerator: Filter,
    explain_denominator: Filter = _received,
    flag: str | None = None,
) -> Indicator:
    return Indicator(
        code,
        label,
        "dossiers",
        numerator,
        denominator,
        explain_denominator,
        explain_numerator,
        flag,
    )


def _catalog(
    code: str,
    label: Promise,
    numerator: Callable[[Figures], int],
    denominator: Callable[[Figures], int],
) -> Indicator:
    return Indicator(code, label, "catalog", numerator, denominator)


def _unsupported(code: str, label: Promise) -> Indicator:
    return Indicator(code, label, "unsupported")


_INDICATORS = [
    # 1 — Công khai, minh bạch
    _catalog(
        "PUBLISH_ON_TIME",
        _("Tỷ lệ TTHC công bố đúng hạn"),
        _f("announced_on_time"),
        _f("announced"),
    ),
    _catalog(
        "PUBLIC_UPDATE_ON_TIME",
        _("Tỷ lệ TTHC được cập nhật, công khai đúng hạn"),
        _f("published_on_time"),
        _f("publication_due"),
    ),
    _catalog(
        "PUBLIC_CONTENT_FULL",
        _("Tỷ lệ TTHC được công khai có đầy đủ các bộ phận tạo thành"),
        _f("content_full"),
        _f("content_checked"),
    ),
    _dossiers(
        "DOSSIER_SYNC",
        _("Tỷ lệ hồ sơ được đồng bộ trạng thái theo thời gian thực với Cổng DVCQG"),
        _f("synced"),
        _f("received"),
        lambda g, at: _happened("first_ack_at", at) & ~_happened("first_late_ack_at", at),
    ),
    # 2 — Tiến độ, kết quả giải quyết
    _dossiers(
        "DOSSIER_ON_TIME",
        _("Tỷ lệ hồ sơ xử lý đúng hạn (trước hạn, đúng hạn, kể cả đang xử lý trong hạn)"),
        lambda f: int(f.get("finished_on_time", 0)) + int(f.get("open_in_time", 0)),
        _f("received"),
        lambda g, at: _class_in(g, Timeliness.ON_TIME, Timeliness.IN_TIME),
    ),
    # 3 — Cung cấp dịch vụ công trực tuyến
    _catalog(
        "ONLINE_PROCEDURES",
        _("Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến / TTHC thuộc thẩm quyền"),
        _f("online_procedures"),
        _f("procedures"),
    ),
    Indicator(
        "ONLINE_SERVICE_USE",
        _("Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến"),
        "catalog",
        lambda f: min(int(f.get("online_services_used", 0)), int(f.get("online_procedures", 0))),
        _f("online_procedures"),
    ),
    _dossiers(
        "ONLINE_DOSSIERS",
        _("Tỷ lệ hồ sơ tiếp nhận trực tuyến"),
        _f("channel_online"),
        _f("received"),
        lambda g, at: Q(channel=Channel.ONLINE),
    ),
    _catalog(
        "FULL_ONLINE_PROCEDURES",
        _("Tỷ lệ TTHC cung cấp DVCTT toàn trình / TTHC đủ điều kiện"),
        _f("full_online_procedures"),
        _f("full_online_eligible_procedures"),
    ),
    _dossiers(
        "FULL_ONLINE_DOSSIERS",
        _("Tỷ lệ hồ sơ DVCTT toàn trình / hồ sơ TTHC đủ điều kiện toàn trình"),
        _f("full_online"),
        _f("full_online_eligible"),
        lambda g, at: Q(is_full_online=True),
        lambda g, at: _received(g, at) & Q(is_full_online_eligible=True),
    ),
    _dossiers(
        "DIRECT_DOSSIERS",
        _("Tỷ lệ hồ sơ nộp trực tiếp"),
        _f("channel_direct"),
        _f("received"),
        lambda g, at: Q(channel=Channel.DIRECT),
    ),
    _dossiers(
        "POSTAL_DOSSIERS",
        _("Tỷ lệ hồ sơ nộp qua dịch vụ bưu chính công ích"),
        _f("channel_postal"),
        _f("received"),
        lambda g, at: Q(channel=Channel.POSTAL),
    ),
    # 4 — Thanh toán trực tuyến
    _dossiers(
        "PAYMENT_ONLINE_DOSSIERS",
        _("Tỷ lệ hồ sơ có nghĩa vụ tài chính được thanh toán trực tuyến"),
        _f("paid_online"),
        _f("fee_dossiers"),
        lambda g, at: Q(has_fees=True) & _happened("paid_online_at", at),
        lambda g, at: _received(g, at) & Q(has_fees=True),
    ),
    Indicator(
        "PAYMENT_ONLINE_PROCEDURES",
        _("Tỷ lệ TTHC có hồ sơ thanh toán trực tuyến / TTHC có thu phí, lệ phí"),
        "catalog",
        lambda f: min(int(f.get("fee_procedures_paid_online", 0)), int(f.get("fee_procedures", 0))),
        _f("fee_procedures"),
    ),
    Indicator(
        "FEE_PROCEDURES_WITH_DOSSIERS",
        _("Tỷ lệ TTHC có hồ sơ phát sinh phí, lệ phí / TTHC có thu phí, lệ phí"),
        "catalog",
        lambda f: min(int(f.get("fee_procedures_used", 0)), int(f.get("fee_procedures", 0))),
        _f("fee_procedures"),
    ),
    # 5 — Số hóa hồ sơ
    _dossiers(
        "ORIGINAL_RESULT_AVAILABLE",
        _("Tỷ lệ hồ sơ có cấp kết quả giải quyết điện tử"),
        _f("e_results"),
        _f("result_documents"),
        lambda g, at: _has_result(at) & _happened("e_result_at", at),
        lambda g, at: _received(g, at) & _has_result(at),
    ),
    _dossiers(
        "SO_HOA_GIAY_TO_GIAI_QUYET",
        _("Tỷ lệ hồ sơ thực hiện số hóa thành phần hồ sơ, kết quả giải quyết"),
        _f("digitised"),
        _f("received"),
        _digitised,
        flag="has_component_files",
    ),
    _unsupported(
        "ELECTRONIC_CERTIFIED_COPY",
        _("Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử từ bản chính"),
    ),
    _dossiers(
        "REUSED_DIGITIZED_DATA",
        _("Tỷ lệ hồ sơ khai thác, sử dụng lại thông tin, dữ liệu số hóa"),
        _f("reused"),
        _f("received"),
        lambda g, at: Q(is_reused=True),
        flag="is_reused",
    ),
    _dossiers(
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
        _("Tỷ lệ hồ sơ số hóa có kết nối, chia sẻ dữ liệu với kho dữ liệu của tổ chức, cá nhân"),
        _f("from_data_store"),
        _f("received"),
        lambda g, at: Q(is_from_data_store=True),
        flag="is_from_data_store",
    ),
    _dossiers(
        "CITIZEN_DATA_CONNECTED_DOSSIER",
        _("Tỷ lệ hồ sơ TTHC có sử dụng thông tin, dữ liệu dân cư"),
        _f("citizen_data"),
        _f("received"),
        lambda g, at: Q(is_citizen_data=True),
        flag="is_citizen_data",
    ),
    Indicator(
        "CITIZEN_DATA_CONNECTED_FORMALITY",
        _("Tỷ lệ TTHC triển khai kết nối, chia sẻ dữ liệu dân cư"),
        "catalog",
        lambda f: min(int(f.get("citizen_data_procedures", 0)), int(f.get("person_procedures", 0))),
        _f("person_procedures"),
        flag="is_citizen_data",
    ),
    # 6 — Mức độ hài lòng
    _unsupported("PETITION_CLASSIFICATION_TTHC", _("Tỷ lệ PAKN về quy định, TTHC")),
    _unsupported("PETITION_CLASSIFICATION_STAFF", _("Tỷ lệ PAKN về hành vi của cán bộ, công chức")),
    _unsupported("PETITION_PROCESSING_ON_TIME", _("Tỷ lệ PAKN xử lý đúng hạn")),
    _unsupported("PETITION_HANDLING_SATISFACTION", _("Tỷ lệ hài lòng trong xử lý PAKN")),
    _dossiers(
        "DOSSIER_RECEIVING_SATISFACTION",
        _("Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC"),
        lambda f: int(f.get("received", 0)) - int(f.get("unsatisfactory", 0)),
        _f("received"),
        lambda g, at: ~_unsatisfactory(g, at),
    ),
    _dossiers(
        "RATING_SATISFIED",
        _("Tỷ lệ đánh giá hài lòng, rất hài lòng (theo 9 tiêu chí)"),
        lambda f: int(f.get("rated_very_satisfied", 0)) + int(f.get("rated_satisfied", 0)),
        _f("rated"),
        lambda g, at: Q(satisfaction__in=["very_satisfied", "satisfied"]),
        lambda g, at: _received(g, at) & _happened("rated_at", at),
    ),
]

INDICATORS: dict[str, Indicator] = {indicator.code: indicator for indicator in _INDICATORS}


# --- Scoring ---------------------------------------------------------------------------------


@dataclass
class IndicatorResult:
    code: str
    label: Any  # lazily translated: rendered in the reader's language
    group: str
    status: str  # "ok" | "no_data" | "unsupported" | "not_applicable" | "tracking"
    numerator: int | None
    denominator: int | None
    rate: float | None
    score: float | None
    max: float
    threshold: float
    can_explain: bool

    @property
    def is_scored(self) -> bool:
        return self.max > 0


@dataclass
class GroupResult:
    code: str
    label: Any
    max: float
    score: float
    indicators: list[IndicatorResult] = field(default_factory=list)


@dataclass
class Scorecard:
    groups: list[GroupResult]
    total: float | None
    band: str | None
    has_data: bool

    def group(self, code: str) -> GroupResult:
        return next(g for g in self.groups if g.code == code)

    def as_flat(self) -> dict[str, Any]:
        return {g.code: g.score for g in self.groups}


def _score_indicator(
    indicator: Indicator,
    group: str,
    figures: Figures,
    definition: ProfileDefinition,
    unit_kind: str,
    *,
    per_procedure: bool,
) -> IndicatorResult:
    rule = definition.indicators[indicator.code]
    result = IndicatorResult(
        code=indicator.code,
        label=indicator.label,
        group=group,
        status="ok",
        numerator=None,
        denominator=None,
        rate=None,
        score=None,
        max=rule.max,
        threshold=rule.threshold,
        can_explain=indicator.can_explain and indicator.is_supported,
    )
    if not indicator.is_supported:
        result.status = "unsupported"
        result.score = rule.max if rule.when_unsupported == "full" else 0.0
        return result
    if per_procedure and not indicator.per_procedure:
        result.status = "not_applicable"
        return result
    if rule.unit_kinds is not None and unit_kind not in rule.unit_kinds:
        result.status = "not_applicable"
        result.score = rule.max if rule.when_not_applicable == "full" else 0.0
        return result
    assert indicator.numerator is not None
    assert indicator.denominator is not None
    numerator, denominator = indicator.numerator(figures), indicator.denominator(figures)
    result.numerator, result.denominator = numerator, denominator
    if denominator <= 0:
        result.status = "no_data"
        result.score = {"zero": 0.0, "full": rule.max, "na": None}[rule.when_empty]
        return result
    rate = 100.0 * min(numerator, denominator) / denominator
    if rule.sync_coefficient:
        received = int(figures.get("received", 0))
        rate *= (int(figures.get("synced", 0)) / received) if received else 0.0
    result.rate = rate
    result.score = rule.max * min(1.0, rate / rule.threshold)
    if rule.max == 0:
        result.status = "tracking"
    return result


def compute_scorecard(
    figures: Figures,
    definition: ProfileDefinition,
    unit_kind: str,
    *,
    per_procedure: bool = False,
) -> Scorecard:
    """Return the indicators, groups, total and band of one unit from its figures.

    ``figures`` holds the counter columns and the catalogue figures of the unit and
    period. ``per_procedure``: only the indicators counted from dossiers, no total.
    """
    groups: list[GroupResult] = []
    for rule in definition.groups:
        results = [
            _score_indicator(
                INDICATORS[code],
                rule.code,
                figures,
                definition,
                unit_kind,
                per_procedure=per_procedure,
            )
            for code in rule.indicators
        ]
        raw = sum(r.score or 0.0 for r in results)
        groups.append(
            GroupResult(
                code=rule.code,
                label=GROUP_LABELS.get(rule.code, rule.code),
                max=rule.max,
                score=min(rule.max, raw),
                indicators=results,
            )
        )
    has_data = int(figures.get("received", 0)) > 0 or int(figures.get("procedures", 0)) > 0
    if per_procedure or not has_data:
        return Scorecard(groups=groups, total=None, band=None, has_data=has_data)
    total = sum(g.score for g in groups)
    return Scorecard(groups=groups, total=total, band=definition.band_of(total), has_data=True)
