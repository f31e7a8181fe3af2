"""Errors of the citizen portal, each with a stable code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied

__all__ = [
    "CitizenRequired",
    "DraftAlreadySubmitted",
    "DraftIncomplete",
    "DraftNotFound",
    "NotOnline",
    "ProcedureChanged",
    "UnknownDraftDocument",
]


class DraftNotFound(NotFound):
    code = "portal.draft_not_found"
    default_message = _("Không tìm thấy hồ sơ nháp.")


class CitizenRequired(PermissionDenied):
    code = "portal.citizen_required"
    default_message = _(
        "Chức năng này dành cho người dân, doanh nghiệp đăng nhập bằng tài khoản định danh điện tử."
    )


class DraftAlreadySubmitted(Conflict):
    code = "portal.draft_already_submitted"
    default_message = _("Hồ sơ nháp này đã được nộp (hồ sơ %(reference)s); không nộp lại lần nữa.")


class DraftIncomplete(InvalidInput):
    code = "portal.draft_incomplete"
    default_message = _("Hồ sơ chưa đủ thông tin để nộp: %(missing)s.")


class NotOnline(InvalidInput):
    code = "portal.not_online"
    default_message = _("Thủ tục %(code)s chưa cung cấp dịch vụ công trực tuyến.")


class ProcedureChanged(Conflict):
    code = "portal.procedure_changed"
    default_message = _(
        "Thủ tục đã được sửa đổi, bổ sung từ khi bạn lập hồ sơ nháp này. Vui lòng xóa hồ sơ "
        "nháp và lập hồ sơ mới theo quy định hiện hành."
    )


class UnknownDraftDocument(NotFound):
    code = "portal.unknown_document"
    default_message = _("Thủ tục không yêu cầu giấy tờ này.")
