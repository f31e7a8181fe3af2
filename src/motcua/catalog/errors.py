"""Errors of the procedure catalogue, with stable ``catalog.*`` codes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import Conflict, InvalidInput, NotFound, WrongState

if TYPE_CHECKING:
    from motcua.catalog.importing import ImportReport

__all__ = [
    "DraftExists",
    "DuplicateCode",
    "ImportFileUnreadable",
    "ImportRejected",
    "InvalidProcedure",
    "NoVersionInForce",
    "NotADraft",
    "ProcedureAbolished",
    "UnknownProcedure",
    "UnknownVersion",
    "ValidityOverlap",
]


class UnknownProcedure(NotFound):
    code = "catalog.unknown_procedure"
    default_message = _("Không có thủ tục hành chính mã “%(code)s”.")


class UnknownVersion(NotFound):
    code = "catalog.unknown_version"
    default_message = _("Thủ tục “%(code)s” không có phiên bản số %(number)s.")


class NoVersionInForce(NotFound):
    code = "catalog.no_version_in_force"
    default_message = _("Thủ tục “%(code)s” không có phiên bản có hiệu lực vào thời điểm %(at)s.")


class DuplicateCode(Conflict):
    code = "catalog.duplicate_code"
    default_message = _("Mã thủ tục “%(code)s” đã có trong danh mục.")


class DraftExists(Conflict):
    code = "catalog.draft_exists"
    default_message = _(
        "Thủ tục “%(code)s” đang có bản nháp (phiên bản %(number)s); hãy sửa hoặc công bố bản nháp đó."
    )


class NotADraft(WrongState):
    code = "catalog.not_a_draft"
    default_message = _(
        "Chỉ sửa được bản nháp; phiên bản đã công bố được giữ nguyên, hãy tạo phiên bản mới."
    )


class ProcedureAbolished(WrongState):
    code = "catalog.procedure_abolished"
    default_message = _("Thủ tục “%(code)s” đã bị bãi bỏ.")


class ValidityOverlap(Conflict):
    code = "catalog.validity_overlap"
    default_message = _(
        "Phiên bản mới phải có hiệu lực sau phiên bản %(number)s (có hiệu lực từ %(current)s)."
    )


class InvalidProcedure(InvalidInput):
    """A procedure version breaks a rule; ``field_errors`` name each field."""

    code = "catalog.invalid_procedure"
    default_message = _("Thông tin thủ tục chưa hợp lệ; xem lỗi ở từng trường.")


class ImportFileUnreadable(InvalidInput):
    code = "catalog.import_unreadable"
    default_message = _("Không đọc được tệp nhập: %(reason)s")


class ImportRejected(InvalidInput):
    """Nothing was imported; ``report`` lists every invalid row with its reason."""

    code = "catalog.import_rejected"
    default_message = _("Không nhập thủ tục nào: tệp có %(count)s lỗi.")

    def __init__(self, report: ImportReport, **kwargs: Any) -> None:
        self.report = report
        field_errors: dict[str, list[Any]] = {}
        for issue in report.issues:
            field_errors.setdefault(issue.where, []).append(issue.message)
        super().__init__(params={"count": len(report.issues)}, field_errors=field_errors, **kwargs)
