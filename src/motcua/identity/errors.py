"""Errors of the identity app, each with a stable code that API clients may branch on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import ApplicationError, Conflict, InvalidInput, PermissionDenied

__all__ = [
    "DuplicateUsername",
    "EidAccessDenied",
    "EidAssuranceTooLow",
    "EidCodeRejected",
    "EidError",
    "EidInvalidClaims",
    "EidInvalidIdToken",
    "EidInvalidState",
    "EidProviderUnavailable",
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


class EidError(ApplicationError):
    """A failed login with the national e-ID; nothing was written, nobody is logged in."""

    code = "identity.eid.failed"
    status = 400
    default_message = _("Không đăng nhập được bằng tài khoản định danh điện tử. Vui lòng thử lại.")


class EidInvalidState(EidError):
    code = "identity.eid.invalid_state"
    default_message = _(
        "Phiên đăng nhập bằng định danh điện tử không hợp lệ hoặc đã hết hạn "
        "(có thể bạn đã mở lại một liên kết cũ). Vui lòng đăng nhập lại từ đầu."
    )


class EidAccessDenied(EidError):
    code = "identity.eid.access_denied"
    status = 403
    default_message = _(
        "Bạn đã hủy đăng nhập hoặc chưa đồng ý chia sẻ thông tin định danh với cổng "
        "dịch vụ công, nên chưa đăng nhập."
    )


class EidCodeRejected(EidError):
    code = "identity.eid.code_rejected"
    default_message = _(
        "Hệ thống định danh điện tử không chấp nhận yêu cầu đăng nhập này (mã xác thực "
        "đã dùng, đã hết hạn hoặc không khớp). Vui lòng đăng nhập lại."
    )


class EidInvalidIdToken(EidError):
    code = "identity.eid.invalid_id_token"
    default_message = _(
        "Thông tin định danh nhận được không hợp lệ (chữ ký, nơi phát hành, thời hạn hoặc "
        "người nhận không đúng) nên không thể đăng nhập. Vui lòng thử lại sau."
    )


class EidInvalidClaims(EidError):
    code = "identity.eid.invalid_claims"
    default_message = _(
        "Tài khoản định danh điện tử không cung cấp đủ thông tin cần thiết "
        "(%(claim)s) nên không thể đăng nhập."
    )


class EidProviderUnavailable(EidError):
    code = "identity.eid.provider_unavailable"
    status = 503
    default_message = _(
        "Hệ thống định danh điện tử tạm thời không phản hồi. Vui lòng thử lại sau ít phút; "
        "bạn vẫn có thể nộp hồ sơ trực tiếp tại bộ phận một cửa."
    )


class EidAssuranceTooLow(EidError):
    code = "identity.eid.assurance_too_low"
    status = 403
    default_message = _(
        "Tài khoản định danh điện tử của bạn ở mức %(level)s; cần tài khoản mức %(required)s "
        "để đăng nhập và nộp hồ sơ trực tuyến."
    )
