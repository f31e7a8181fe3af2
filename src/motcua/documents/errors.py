"""Errors of the documents app, each with a stable code that API clients may branch on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import (
    ApplicationError,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
)

__all__ = [
    "DocumentPermissionDenied",
    "DuplicateResultCode",
    "EmptyFile",
    "FileTooLarge",
    "FormNotInRuleSet",
    "InfectedFile",
    "InvalidAgencyCodeForCertificate",
    "InvalidResult",
    "ResultAlreadyRevoked",
    "RevocationReasonRequired",
    "ScanUnavailable",
    "StoreItemExpired",
    "StoreItemNotFound",
    "StoreItemWrongType",
    "SubjectTooLarge",
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


class SubjectTooLarge(InvalidInput):
    code = "documents.subject_too_large"
    default_message = _(
        "Không thể thêm tệp %(name)s: tổng dung lượng các tệp của hồ sơ vượt quá %(limit)s MB."
    )


class InfectedFile(InvalidInput):
    code = "documents.infected_file"
    default_message = _(
        "Tệp %(name)s bị phần mềm diệt virus phát hiện có mã độc và không được nhận."
    )


class ScanUnavailable(ApplicationError):
    code = "documents.scan_unavailable"
    status = 503
    default_message = _(
        "Chưa kiểm tra được virus cho tệp %(name)s vì dịch vụ quét virus không phản hồi. "
        "Vui lòng thử lại sau ít phút."
    )


class StoreItemNotFound(NotFound):
    code = "documents.store_item_not_found"
    default_message = _("Không tìm thấy giấy tờ này trong kho dữ liệu của bạn.")


class StoreItemExpired(InvalidInput):
    code = "documents.store_item_expired"
    default_message = _(
        "Giấy tờ %(title)s trong kho dữ liệu đã hết hiệu lực; vui lòng tải lên bản còn hiệu lực."
    )


class StoreItemWrongType(InvalidInput):
    code = "documents.store_item_wrong_type"
    default_message = _(
        "Giấy tờ %(title)s trong kho dữ liệu không phải là loại giấy tờ được yêu cầu."
    )
