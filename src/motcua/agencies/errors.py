"""Errors of the agencies app, each with a stable code that API clients may branch on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied

__all__ = [
    "AgencyAlreadyInactive",
    "AgencyHasActiveChildren",
    "AgencyPermissionDenied",
    "DuplicateAgencyCode",
    "InvalidAgency",
    "InvalidAgencyCode",
    "UnknownAdminUnit",
    "UnknownAgency",
]


class UnknownAdminUnit(NotFound):
    code = "agencies.unknown_admin_unit"
    default_message = _("Không tìm thấy đơn vị hành chính có mã %(code)s.")


class UnknownAgency(NotFound):
    code = "agencies.unknown_agency"
    default_message = _("Không tìm thấy cơ quan có mã định danh %(code)s.")


class InvalidAgencyCode(InvalidInput):
    code = "agencies.invalid_code"
    default_message = _(
        "Mã định danh %(code)s không đúng định dạng QCVN 102:2016/BTTTT "
        "(NNN.NN.NN.Xnn, ví dụ 000.00.12.H56)."
    )


class DuplicateAgencyCode(Conflict):
    code = "agencies.duplicate_code"
    default_message = _("Mã định danh %(code)s đã được dùng cho cơ quan khác.")


class InvalidAgency(InvalidInput):
    """The fields of an agency contradict each other (kind, level, parent, admin unit)."""

    code = "agencies.invalid_agency"
    default_message = _(
        "Thông tin cơ quan không hợp lệ. Vui lòng kiểm tra các trường được đánh dấu."
    )


class AgencyPermissionDenied(PermissionDenied):
    code = "agencies.permission_denied"
    default_message = _(
        "Chỉ quản trị hệ thống, hoặc quản trị cơ quan đối với các đơn vị trực thuộc cơ quan "
        "mình, mới được tạo hoặc sửa cơ quan."
    )


class AgencyAlreadyInactive(Conflict):
    code = "agencies.already_inactive"
    default_message = _("Cơ quan này đã ngừng hoạt động.")


class AgencyHasActiveChildren(Conflict):
    code = "agencies.has_active_children"
    default_message = _(
        "Còn %(count)s cơ quan trực thuộc đang hoạt động; hãy cho các cơ quan đó ngừng "
        "hoạt động trước."
    )
