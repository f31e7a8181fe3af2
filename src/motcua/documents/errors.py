"""Errors of the documents app, each with a stable code that API clients may branch on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied

__all__ = [
    "DocumentPermissionDenied",
    "DuplicateResultCode",
    "EmptyFile",
    "FileTooLarge",
    "FormNotInRuleSet",
    "InvalidAgencyCodeForCertificate",
    "InvalidResult",
    "ResultAlreadyRevoked",
    "RevocationReasonRequired",
    "TooManyFiles",
    "TypeNotAllowed",
    "UnknownResult",
]


class FormNotInRuleSet(InvalidInput):
    code = "documents.form_not_in_rule_set"
    default_message = _("Biểu mẫu %(kind)s không có trong %(rule_set)s.")


class DocumentPermissionDenied(PermissionDenied):
    code = "documents.permission_denied"
    default_message = _("Bạn không có quyền thực hiện thao tác này với giấy tờ, kết quả.")


class UnknownResult(NotFound):
    code = "documents.unknown_result"
    default_message = _("Không tìm thấy kết quả có mã %(code)s.")


class InvalidResult(InvalidInput):
    code = "documents.invalid_result"
    default_message = _(
        "Thông tin kết quả không hợp lệ. Vui lòng kiểm tra các trường được đánh dấu."
    )


class DuplicateResultCode(Conflict):
    code = "documents.duplicate_result_code"
    default_message = _("Mã kết quả %(code)s đã được cấp cho một kết quả khác.")


class ResultAlreadyRevoked(Conflict):
    code = "documents.already_revoked"
    default_message = _("Kết quả %(code)s đã bị hủy hiệu lực trước đó.")


class RevocationReasonRequired(InvalidInput):
    code = "documents.revocation_reason_required"
    default_message = _("Vui lòng nêu lý do hủy hiệu lực kết quả.")


class InvalidAgencyCodeForCertificate(InvalidInput):
    code = "documents.invalid_agency_code"
    default_message = _(
        "Mã cơ quan %(code)s không dùng được để cấp chứng thư số "
        "(chỉ gồm chữ, số, dấu chấm và gạch nối)."
    )


class EmptyFile(InvalidInput):
    code = "documents.empty_file"
    default_message = _("Tệp %(name)s rỗng (0 byte). Vui lòng chọn lại tệp.")


class FileTooLarge(InvalidInput):
    code = "documents.file_too_large"
    default_message = _("Tệp %(name)s vượt quá dung lượng cho phép (%(limit)s MB).")


class TypeNotAllowed(InvalidInput):
    code = "documents.type_not_allowed"
    default_message = _(
        "Tệp %(name)s không đúng định dạng cho phép (%(allowed)s). "
        "Định dạng được kiểm tra theo nội dung tệp, không theo tên tệp."
    )


class TooManyFiles(InvalidInput):
    code = "documents.too_many_files"
    default_message = _("Đã đủ số tệp cho phép (%(limit)s) cho mục này.")
