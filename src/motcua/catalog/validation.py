"""Rules a procedure version must satisfy before it is saved, as lists of ``Issue``.

``check_procedure_data`` needs no database (shares of time, dates, references inside
the version); ``check_references`` checks agency, province and file references against
lookups loaded once per batch (``References``). ``issues_from_pydantic`` turns format
errors of ``catalog.schemas`` into the same Vietnamese issues, so an import report and
a form show one kind of message (both live in ``catalog.issues``, re-exported here).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.catalog.enums import DocumentRequirement, OnlineLevel, SubmissionMethod, TimeUnit
from motcua.catalog.issues import Issue, Path, issues_from_pydantic
from motcua.catalog.models import format_duration
from motcua.catalog.schemas import AnnouncementData, ProcedureData, StepData

__all__ = [
    "Issue",
    "Path",
    "References",
    "check_announcement",
    "check_procedure_data",
    "check_references",
    "issues_from_pydantic",
    "working_hours_per_day",
]


@dataclass
class References:
    """What a batch of procedures refers to outside itself, loaded in a few queries."""

    agency_ids: dict[str, int] = field(default_factory=dict)
    agency_names: dict[str, str] = field(default_factory=dict)
    province_ids: dict[str, int] = field(default_factory=dict)
    stored_files: set[str] = field(default_factory=set)


def working_hours_per_day() -> Decimal:
    """Return the working hours in a working day used to convert step shares (default 8)."""
    return Decimal(str(getattr(settings, "MOTCUA_WORKING_HOURS_PER_DAY", 8)))


def _in_unit(amount: Decimal, unit: str, target: str) -> Decimal | None:
    """Convert ``amount`` from ``unit`` to ``target``, or None when they do not convert."""
    if unit == target:
        return amount
    hours = working_hours_per_day()
    if unit == TimeUnit.HOURS and target == TimeUnit.WORKING_DAYS:
        return amount / hours
    if unit == TimeUnit.WORKING_DAYS and target == TimeUnit.HOURS:
        return amount * hours
    return None


def _check_steps(data: ProcedureData) -> list[Issue]:
    issues: list[Issue] = []
    cases = {case.code: case for case in data.cases}
    by_case: dict[str, list[tuple[int, StepData]]] = defaultdict(list)
    for index, step in enumerate(data.steps):
        path: Path = ("steps", index)
        case_code = step.case_code or (data.cases[0].code if len(data.cases) == 1 else "")
        if not case_code:
            issues.append(
                Issue(
                    (*path, "case_code"),
                    _("Thủ tục có nhiều trường hợp: bước “%(step)s” phải ghi mã trường hợp.")
                    % {"step": step.name},
                )
            )
            continue
        if case_code not in cases:
            issues.append(
                Issue(
                    (*path, "case_code"),
                    _("Không có trường hợp mã “%(case)s” trong thủ tục.") % {"case": case_code},
                )
            )
            continue
        if not (step.agency_code or step.agency_name or step.role):
            issues.append(
                Issue(
                    (*path, "agency_code"),
                    _("Bước “%(step)s” phải ghi cơ quan hoặc vai trò thực hiện.")
                    % {"step": step.name},
                )
            )
        by_case[case_code].append((index, step))

    for case_code, steps in by_case.items():
        case = cases[case_code]
        total = Decimal(0)
        convertible = True
        for index, step in steps:
            share = _in_unit(step.duration, step.duration_unit, case.time_unit)
            if share is None:
                convertible = False
                issues.append(
                    Issue(
                        ("steps", index, "duration_unit"),
                        _(
                            "Thời gian của bước “%(step)s” tính bằng %(unit)s, không quy đổi "
                            "được sang %(case_unit)s của trường hợp “%(case)s”."
                        )
                        % {
                            "step": step.name,
                            "unit": TimeUnit(step.duration_unit).label,
                            "case_unit": TimeUnit(case.time_unit).label,
                            "case": case.name,
                        },
                    )
                )
                continue
            total += share
        if convertible and total.quantize(Decimal("0.01")) != case.time_limit.quantize(
            Decimal("0.01")
        ):
            issues.append(
                Issue(
                    ("steps", steps[0][0], "duration"),
                    _(
                        "Tổng thời gian của các bước (%(total)s) không bằng thời hạn giải quyết "
                        "của trường hợp “%(case)s” (%(limit)s)."
                    )
                    % {
                        "total": format_duration(total, case.time_unit),
                        "case": case.name,
                        "limit": format_duration(case.time_limit, case.time_unit),
                    },
                )
            )
        if data.is_inter_agency:
            agencies = {s.agency_code or s.agency_name for _i, s in steps} - {""}
            if len(agencies) < 2:
                issues.append(
                    Issue(
                        ("steps", steps[0][0], "agency_code"),
                        _(
                            "Thủ tục liên thông: quy trình của trường hợp “%(case)s” phải nêu ít "
                            "nhất hai cơ quan theo thứ tự giải quyết."
                        )
                        % {"case": case.name},
                    )
                )
    if data.is_inter_agency and not data.steps:
        issues.append(
            Issue(
                ("steps",),
                _(
                    "Thủ tục liên thông phải có quy trình nêu các cơ quan và thời gian của từng cơ quan."
                ),
            )
        )
    return issues


def _check_case_refs(data: ProcedureData, kind: str, items: Iterable[Any]) -> list[Issue]:
    codes = {case.code for case in data.cases}
    return [
        Issue(
            (kind, index, "case_code"),
            _("Không có trường hợp mã “%(case)s” trong thủ tục.") % {"case": item.case_code},
        )
        for index, item in enumerate(items)
        if item.case_code and item.case_code not in codes
    ]


def _check_documents(data: ProcedureData) -> list[Issue]:
    issues = _check_case_refs(data, "documents", data.documents)
    form_codes = {form.code for form in data.forms if form.code}
    for index, doc in enumerate(data.documents):
        path: Path = ("documents", index)
        if (
            doc.originals + doc.certified_copies + doc.photocopies < 1
            and not doc.replaceable_by_data
        ):
            issues.append(
                Issue(
                    (*path, "originals"),
                    _(
                        "Giấy tờ “%(name)s” phải có số lượng bản chính, bản sao chứng thực "
                        "hoặc bản chụp."
                    )
                    % {"name": doc.name},
                )
            )
        if doc.requirement == DocumentRequirement.CONDITIONAL and not doc.condition:
            issues.append(
                Issue(
                    (*path, "condition"),
                    _("Giấy tờ “%(name)s” bắt buộc có điều kiện: hãy ghi trường hợp phải nộp.")
                    % {"name": doc.name},
                )
            )
        if doc.replaceable_by_data and not doc.data_source_code:
            issues.append(
                Issue(
                    (*path, "data_source_code"),
                    _("Giấy tờ “%(name)s” được thay bằng dữ liệu: hãy ghi mã cơ sở dữ liệu.")
                    % {"name": doc.name},
                )
            )
        if doc.form_code and doc.form_code not in form_codes:
            issues.append(
                Issue(
                    (*path, "form_code"),
                    _("Không có mẫu đơn, tờ khai ký hiệu “%(code)s” trong thủ tục.")
                    % {"code": doc.form_code},
                )
            )
    return issues


def check_announcement(announcement: AnnouncementData, path: Path = ()) -> list[Issue]:
    """Return the issue of an announcement taking effect before it was decided."""
    if announcement.effective_on >= announcement.decided_on:
        return []
    return [
        Issue(
            (*path, "effective_on"),
            _(
                "Ngày có hiệu lực (%(effective)s) không được trước ngày ban hành quyết định "
                "công bố (%(decided)s)."
            )
            % {
                "effective": f"{announcement.effective_on:%d/%m/%Y}",
                "decided": f"{announcement.decided_on:%d/%m/%Y}",
            },
        )
    ]


def check_procedure_data(data: ProcedureData) -> list[Issue]:
    """Return every rule ``data`` breaks that can be checked without the database."""
    issues: list[Issue] = []
    seen: set[str] = set()
    for index, case in enumerate(data.cases):
        if case.code in seen:
            issues.append(
                Issue(
                    ("cases", index, "code"),
                    _("Mã trường hợp “%(code)s” bị trùng.") % {"code": case.code},
                )
            )
        seen.add(case.code)
    seen = set()
    for index, form in enumerate(data.forms):
        if form.code and form.code in seen:
            issues.append(
                Issue(
                    ("forms", index, "code"),
                    _("Ký hiệu mẫu “%(code)s” bị trùng.") % {"code": form.code},
                )
            )
        seen.add(form.code)
    issues += _check_steps(data)
    issues += _check_documents(data)
    issues += _check_case_refs(data, "fees", data.fees)
    if data.is_free and data.fees:
        issues.append(
            Issue(("is_free",), _("Thủ tục ghi “không thu phí, lệ phí” nhưng lại có khoản thu."))
        )
    if data.result_is_document and not data.result_name:
        issues.append(Issue(("result_name",), _("Hãy ghi tên kết quả giải quyết.")))
    has_online = SubmissionMethod.ONLINE in data.submission_methods
    if data.online_level != OnlineLevel.NONE and not has_online:
        issues.append(
            Issue(
                ("submission_methods",),
                _("Thủ tục có dịch vụ công trực tuyến phải có cách thức nộp trực tuyến."),
            )
        )
    if data.is_online_only and (data.online_level == OnlineLevel.NONE or not has_online):
        issues.append(
            Issue(
                ("is_online_only",),
                _("Thủ tục chỉ tiếp nhận trực tuyến phải có dịch vụ công trực tuyến."),
            )
        )
    if data.announcement is not None:
        issues += check_announcement(data.announcement, ("announcement",))
    for index, basis in enumerate(data.legal_bases):
        if basis.issued_on and basis.effective_on and basis.effective_on < basis.issued_on:
            issues.append(
                Issue(
                    ("legal_bases", index, "effective_on"),
                    _("Văn bản %(number)s có ngày hiệu lực trước ngày ban hành.")
                    % {"number": basis.number},
                )
            )
    for index, form in enumerate(data.forms):
        if not (form.url or form.file):
            issues.append(
                Issue(
                    ("forms", index, "url"),
                    _("Mẫu “%(name)s” phải có đường dẫn tải về hoặc tệp đính kèm.")
                    % {"name": form.name},
                )
            )
    for index, listing in enumerate(data.boundary_free):
        if listing.valid_to is not None and listing.valid_to <= listing.valid_from:
            issues.append(
                Issue(
                    ("boundary_free", index, "valid_to"),
                    _("Ngày kết thúc phải sau ngày bắt đầu áp dụng."),
                )
            )
    return issues


def check_references(data: ProcedureData, refs: References) -> list[Issue]:
    """Return the agencies, provinces and stored files ``data`` names that do not exist."""
    issues: list[Issue] = []
    unknown_agency = _(
        "Không có cơ quan mã “%(code)s” trong hệ thống; cơ quan ngoài hệ thống hãy ghi tên."
    )
    for attr in ("implementing_agency_codes", "applying_agency_codes"):
        for index, code in enumerate(getattr(data, attr)):
            if code not in refs.agency_ids:
                issues.append(Issue((attr, index), unknown_agency % {"code": code}))
    for index, step in enumerate(data.steps):
        if step.agency_code and step.agency_code not in refs.agency_ids:
            issues.append(
                Issue(("steps", index, "agency_code"), unknown_agency % {"code": step.agency_code})
            )
    for index, listing in enumerate(data.boundary_free):
        if listing.province_code not in refs.province_ids:
            issues.append(
                Issue(
                    ("boundary_free", index, "province_code"),
                    _("Không có tỉnh, thành phố mã “%(code)s”.") % {"code": listing.province_code},
                )
            )
    for index, form in enumerate(data.forms):
        if form.file and form.file not in refs.stored_files:
            issues.append(
                Issue(
                    ("forms", index, "file"),
                    _("Không tìm thấy tệp “%(name)s” trong kho lưu trữ.") % {"name": form.file},
                )
            )
    return issues
