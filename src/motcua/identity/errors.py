"""Errors of the identity app, each with a stable code that API clients may branch on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import ApplicationError, Conflict, InvalidInput, PermissionDenied

__all__ = [
    "DuplicateUsername",
    "InvalidCredentials",
    "InvalidOfficial",
    "LoginLocked",
    "MissingRole",
    "OfficialAlreadyInactive",
    "OfficialPermissionDenied",
    "OutsideAgencyScope",
    "RoleAlreadyGranted",
    "RoleNotGranted",
    "UnknownRole",
]


class InvalidCredentials(ApplicationError):
    code = "identity.invalid_credentials"
    status = 401
    default_message = _("Tên đăng nhập hoặc mật khẩu không đúng.")


class LoginLocked(ApplicationError):
    code = "identity.login_locked"
    status = 429
    default_message = _(
        "Đã đăng nhập sai %(limit)s lần với tên đăng nhập này nên việc đăng nhập tạm bị khóa. "
        "Vui lòng thử lại sau %(minutes)s phút."
    )


class InvalidOfficial(InvalidInput):
    code = "identity.invalid_official"
    default_message = _(
        "Thông tin cán bộ không hợp lệ. Vui lòng kiểm tra các trường được đánh dấu."
    )


class DuplicateUsername(Conflict):
    code = "identity.duplicate_username"
    default_message = _("Tên đăng nhập %(username)s đã được dùng.")


class UnknownRole(InvalidInput):
    code = "identity.unknown_role"
    default_message = _("Vai trò %(role)s không tồn tại.")


class RoleAlreadyGranted(Conflict):
    code = "identity.role_already_granted"
    default_message = _("Cán bộ này đã có vai trò “%(role)s”.")


class RoleNotGranted(Conflict):
    code = "identity.role_not_granted"
    default_message = _("Cán bộ này không có vai trò “%(role)s”.")


class OfficialAlreadyInactive(Conflict):
    code = "identity.official_inactive"
    default_message = _("Cán bộ này đã ngừng hoạt động.")


class OfficialPermissionDenied(PermissionDenied):
    code = "identity.permission_denied"
    default_message = _(
        "Chỉ quản trị hệ thống hoặc quản trị của cơ quan này mới được quản lý cán bộ của cơ quan."
    )


class MissingRole(PermissionDenied):
    code = "identity.missing_role"
    default_message = _("Thao tác này cần một trong các vai trò: %(roles)s.")


class OutsideAgencyScope(PermissionDenied):
    code = "identity.outside_agency"
    default_message = _("Bạn chỉ được xem và xử lý dữ liệu của cơ quan mình.")
