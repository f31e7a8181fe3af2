"""The words of each notification, per event and channel, in the applicant's language.

Every sentence is a translatable string (Vietnamese source, English in the catalogue)
rendered under ``translation.override(language)``. A message says only what the
applicant needs: the dossier code, the procedure, dates, amounts, what to bring, and
links; never the applicant's name or identification number. An SMS (Vietnamese needs
Unicode, 67 characters a segment) stays within three segments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.kernel import clock
from motcua.notifications.models import Channel, Event

__all__ = ["MessageContext", "RenderedMessage", "render_message"]

_SUBJECTS: dict[str, Any] = {
    Event.RECEIVED: _("Hồ sơ %(code)s đã được tiếp nhận"),
    Event.SUPPLEMENT_REQUESTED: _("Hồ sơ %(code)s cần bổ sung giấy tờ"),
    Event.PAYMENT_REQUESTED: _("Hồ sơ %(code)s chờ nộp phí, lệ phí"),
    Event.APOLOGY: _("Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s"),
    Event.RESULT_READY: _("Hồ sơ %(code)s đã có kết quả"),
    Event.RETURNED: _("Hồ sơ %(code)s đã được trả kết quả"),
}
_EMAIL: dict[str, Sequence[Any]] = {
    Event.RECEIVED: (
        _("Hồ sơ %(code)s (%(procedure)s) đã được tiếp nhận lúc %(received_at)s."),
        _("Ngày hẹn trả kết quả: %(due_at)s."),
        _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu số 01) được gửi kèm thư này."),
    ),
    Event.SUPPLEMENT_REQUESTED: (
        _("Hồ sơ %(code)s (%(procedure)s) cần được bổ sung, hoàn thiện với các giấy tờ sau:"),
    ),
    Event.PAYMENT_REQUESTED: (
        _("Hồ sơ %(code)s (%(procedure)s) đang chờ nộp phí, lệ phí: %(amount)s."),
        _("Nộp trực tuyến tại: %(payment_url)s"),
        _("Sau khi nộp, biên lai điện tử được phát hành và hồ sơ được giải quyết tiếp."),
    ),
    Event.APOLOGY: (
        _(
            "Cơ quan giải quyết xin lỗi vì chưa trả kết quả hồ sơ %(code)s (%(procedure)s) đúng hẹn."
        ),
        _("Lý do: %(reason)s"),
        _("Ngày hẹn trả kết quả mới: %(due_at)s."),
    ),
    Event.RESULT_READY: (
        _("Hồ sơ %(code)s (%(procedure)s) đã có kết quả giải quyết."),
        _("Ông/Bà nhận kết quả theo hình thức đã đăng ký khi nộp hồ sơ."),
    ),
    Event.RETURNED: (
        _("Hồ sơ %(code)s (%(procedure)s) đã được trả kết quả lúc %(returned_at)s."),
        _("Cảm ơn Ông/Bà đã sử dụng dịch vụ công."),
    ),
}
_SMS: dict[str, Any] = {
    Event.RECEIVED: _(
        "Hồ sơ %(code)s đã được tiếp nhận, hẹn trả kết quả %(due_at)s. Tra cứu: %(tracking_url)s"
    ),
    Event.SUPPLEMENT_REQUESTED: _(
        "Hồ sơ %(code)s cần bổ sung giấy tờ. Xem chi tiết: %(tracking_url)s"
    ),
    Event.PAYMENT_REQUESTED: _(
        "Hồ sơ %(code)s chờ nộp %(amount)s phí, lệ phí. Nộp trực tuyến: %(payment_url)s"
    ),
    Event.APOLOGY: _(
        "Xin lỗi: hồ sơ %(code)s chưa có kết quả đúng hẹn, hẹn lại %(due_at)s. Tra cứu: %(tracking_url)s"
    ),
    Event.RESULT_READY: _("Hồ sơ %(code)s đã có kết quả. Tra cứu: %(tracking_url)s"),
    Event.RETURNED: _("Hồ sơ %(code)s đã được trả kết quả. Cảm ơn Ông/Bà."),
}


@dataclass(frozen=True)
class MessageContext:
    event: str
    code: str
    procedure: str
    tracking_url: str
    payment_url: str = ""
    unsubscribe_url: str = ""
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    amount: int = 0
    reason: str = ""
    items: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str


def _when(moment: dt.datetime | None) -> str:
    return f"{clock.local(moment):%H:%M %d/%m/%Y}" if moment is not None else "—"


def _amount(value: int) -> str:
    separator = "." if (translation.get_language() or "vi").startswith("vi") else ","
    return gettext("%(amount)s đồng") % {"amount": f"{value:,d}".replace(",", separator)}


def render_message(context: MessageContext, channel: str, language: str) -> RenderedMessage:
    """Return the subject and text of ``context`` for ``channel`` in ``language``."""
    with translation.override(language):
        values = {
            "code": context.code,
            "procedure": context.procedure,
            "tracking_url": context.tracking_url,
            "payment_url": context.payment_url,
            "received_at": _when(context.received_at),
            "due_at": _when(context.due_at),
            "returned_at": _when(context.returned_at),
            "amount": _amount(context.amount),
            "reason": context.reason,
        }
        subject = str(_SUBJECTS[context.event]) % values
        if channel == Channel.SMS:
            return RenderedMessage(subject=subject, text=str(_SMS[context.event]) % values)
        lines = [gettext("Kính gửi Ông/Bà,"), ""]
        lines += [str(line) % values for line in _EMAIL[context.event]]
        for text, reason in context.items:
            lines.append(f"  - {text}" + (f": {reason}" if reason else ""))
        lines += ["", gettext("Tra cứu hồ sơ: %(url)s") % {"url": context.tracking_url}, ""]
        lines.append(
            gettext("Thư này được gửi tự động từ hệ thống Một cửa điện tử, vui lòng không trả lời.")
        )
        if context.unsubscribe_url:
            lines.append(
                gettext("Không muốn nhận thư điện tử về hồ sơ nữa: %(url)s")
                % {"url": context.unsubscribe_url}
            )
        return RenderedMessage(subject=subject, text="\n".join(lines) + "\n")
