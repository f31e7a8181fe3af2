"""Errors of the working-day calendar, each with a stable code clients can branch on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import Conflict, InvalidInput, PermissionDenied

__all__ = [
    "AlreadyDayOff",
    "CalendarOutOfRange",
    "CalendarPermissionDenied",
    "DuplicateCalendarDate",
    "InvalidOfficeHours",
    "InvalidSeedYears",
    "InvalidTimeLimit",
    "MissingName",
    "MissingReason",
    "MissingSourceDocument",
    "NaiveDatetime",
    "NotAWeekend",
    "OpenClockPause",
    "SchedulePermissionDenied",
    "SeedConflict",
]


class DuplicateCalendarDate(Conflict):
    code = "calendar.duplicate_date"
    default_message = _("Ngày %(date)s đã có trong lịch làm việc (%(kind)s).")


class NotAWeekend(InvalidInput):
    code = "calendar.not_a_weekend"
    default_message = _(
        "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật; ngày %(date)s là ngày làm việc bình thường."
    )


class AlreadyDayOff(InvalidInput):
    code = "calendar.already_off"
    default_message = _("Ngày %(date)s đã là ngày nghỉ; không thể thêm ngày nghỉ vào ngày này.")


class MissingSourceDocument(InvalidInput):
    code = "calendar.missing_source"
    default_message = _(
        "Phải ghi văn bản làm căn cứ (số, ký hiệu, ngày ban hành, cơ quan ban hành)."
    )


class MissingName(InvalidInput):
    code = "calendar.missing_name"
    default_message = _("Phải ghi tên ngày nghỉ hoặc ngày làm bù.")


class MissingReason(InvalidInput):
    code = "calendar.missing_reason"
    default_message = _("Phải ghi lý do xóa ngày khỏi lịch làm việc.")


class SeedConflict(Conflict):
    code = "calendar.seed_conflict"
    default_message = _("Lịch của năm này vừa được nạp trong một phiên khác; hãy thử lại.")


class InvalidSeedYears(InvalidInput):
    code = "calendar.invalid_years"
    default_message = _("Chỉ nạp được lịch cho các năm từ %(first)s đến %(last)s.")


class CalendarOutOfRange(InvalidInput):
    code = "calendar.out_of_range"
    default_message = _("Thời điểm %(value)s nằm ngoài phạm vi lịch làm việc (%(first)s–%(last)s).")


class NaiveDatetime(InvalidInput):
    code = "calendar.naive_datetime"
    default_message = _("Thời điểm phải kèm múi giờ (ví dụ 2025-04-25T10:00:00+07:00).")


class InvalidTimeLimit(InvalidInput):
    code = "calendar.invalid_time_limit"
    default_message = _("Thời hạn giải quyết phải là số không âm với đơn vị hợp lệ.")


class OpenClockPause(InvalidInput):
    code = "calendar.open_pause"
    default_message = _(
        "Khoảng tạm dừng tính thời gian chưa kết thúc nên chưa tính được ngày hẹn trả."
    )


class InvalidOfficeHours(InvalidInput):
    code = "schedule.invalid_office_hours"
    default_message = _(
        "Giờ làm việc không hợp lệ: phải có giờ bắt đầu buổi sáng < giờ kết thúc buổi sáng "
        "≤ giờ bắt đầu buổi chiều < giờ kết thúc buổi chiều, và giờ chốt tiếp nhận nằm trong "
        "giờ làm việc."
    )


class CalendarPermissionDenied(PermissionDenied):
    code = "calendar.permission_denied"
    default_message = _("Chỉ quản trị hệ thống mới được thay đổi lịch làm việc quốc gia.")


class SchedulePermissionDenied(PermissionDenied):
    code = "schedule.permission_denied"
    default_message = _(
        "Chỉ quản trị hệ thống hoặc quản trị của chính cơ quan mới được thay đổi giờ làm việc."
    )
