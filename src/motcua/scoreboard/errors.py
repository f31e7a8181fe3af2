"""Errors of the scoreboard, each with a stable code that clients branch on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import InvalidInput, NotFound, PermissionDenied

__all__ = [
    "ExplainNotAllowed",
    "InvalidProfile",
    "PeriodNotEnded",
    "PeriodNotStarted",
    "ProfileMaximaNot100",
    "RetroactiveProfile",
    "UnknownIndicator",
    "UnknownPeriod",
    "UnknownProcedure",
    "UnknownUnit",
    "UnknownUnitKind",
]


class UnknownUnit(NotFound):
    code = "scoreboard.unknown_unit"
    default_message = _("Không có đơn vị được đánh giá mang mã “%(unit)s”.")


class UnknownUnitKind(NotFound):
    code = "scoreboard.unknown_unit_kind"
    default_message = _("Không có loại đơn vị “%(kind)s”.")


class UnknownPeriod(NotFound):
    code = "scoreboard.unknown_period"
    default_message = _(
        "Kỳ đánh giá “%(period)s” không hợp lệ: dùng dạng 2026-01 (tháng), 2026-Q1 (quý) "
        "hoặc 2026 (năm)."
    )


class PeriodNotStarted(NotFound):
    code = "scoreboard.period_not_started"
    default_message = _("Kỳ đánh giá %(period)s chưa bắt đầu.")


class PeriodNotEnded(InvalidInput):
    code = "scoreboard.period_not_ended"
    default_message = _(
        "Kỳ %(period)s chưa kết thúc nên chưa có số liệu chính thức; số liệu hiện có là "
        "số liệu tạm tính."
    )


class UnknownIndicator(NotFound):
    code = "scoreboard.unknown_indicator"
    default_message = _("Không có chỉ số mang mã “%(indicator)s”.")


class UnknownProcedure(NotFound):
    code = "scoreboard.unknown_procedure"
    default_message = _("Đơn vị chưa có hồ sơ của thủ tục mang mã “%(procedure)s” trong kỳ.")


class ExplainNotAllowed(PermissionDenied):
    code = "scoreboard.explain_not_allowed"
    default_message = _(
        "Chỉ cán bộ của đơn vị (hoặc của cấp trên) mới xem được danh sách hồ sơ làm căn cứ "
        "tính chỉ số."
    )


class InvalidProfile(InvalidInput):
    code = "scoreboard.invalid_profile"
    default_message = _("Bộ công thức tính chỉ số không hợp lệ.")


class ProfileMaximaNot100(InvalidProfile):
    code = "scoreboard.profile_maxima"
    default_message = _(
        "Tổng điểm tối đa của các nhóm chỉ số phải bằng 100 (bộ công thức đang có %(total)s)."
    )


class RetroactiveProfile(InvalidProfile):
    code = "scoreboard.retroactive_profile"
    default_message = _(
        "Bộ công thức mới chỉ được áp dụng từ hôm nay trở đi (%(today)s); các kỳ đã tính giữ "
        "bộ công thức đã dùng."
    )
