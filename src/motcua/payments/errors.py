"""Errors of online payment, each with a stable code.

``NotificationRejected`` and its subclasses are the reasons a platform notification is
refused; each carries the ``reply_code`` the platform expects in the answer (ADR 0016).
Every one is raised before anything is written.
"""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import ApplicationError, Conflict, InvalidInput, NotFound

__all__ = [
    "AlreadyConfirmed",
    "BadSignature",
    "MalformedNotification",
    "NothingToPay",
    "NotificationRejected",
    "OrderNotPayable",
    "PaymentNotFound",
    "PlatformUnavailable",
    "UnknownTransaction",
    "WrongAmount",
    "WrongCurrency",
]


class PaymentNotFound(NotFound):
    code = "payments.not_found"
    default_message = _("Không tìm thấy đơn thanh toán.")


class NothingToPay(Conflict):
    code = "payments.nothing_to_pay"
    default_message = _("Hồ sơ %(code)s hiện không có khoản phí, lệ phí nào chờ nộp trực tuyến.")


class OrderNotPayable(Conflict):
    code = "payments.order_not_payable"
    default_message = _("Đơn thanh toán này không còn chờ thanh toán (%(state)s).")


class PlatformUnavailable(ApplicationError):
    code = "payments.platform_unavailable"
    status = 503
    default_message = _("Nền tảng thanh toán chưa phản hồi. Vui lòng thử lại sau ít phút.")


class NotificationRejected(InvalidInput):
    """A notification from the platform that motcua refuses; nothing is written."""

    code = "payments.notification_rejected"
    reply_code: ClassVar[str] = "99"
    default_message = _("Thông báo thanh toán không hợp lệ.")


class MalformedNotification(NotificationRejected):
    code = "payments.malformed_notification"
    reply_code = "99"
    default_message = _("Thông báo thanh toán thiếu trường hoặc sai định dạng: %(fields)s.")


class BadSignature(NotificationRejected):
    code = "payments.bad_signature"
    reply_code = "97"
    default_message = _("Chữ ký của thông báo thanh toán không đúng.")


class UnknownTransaction(NotificationRejected):
    code = "payments.unknown_transaction"
    reply_code = "01"
    default_message = _("Không có lượt thanh toán nào mang mã tham chiếu này.")


class WrongAmount(NotificationRejected):
    code = "payments.wrong_amount"
    reply_code = "04"
    default_message = _("Số tiền trong thông báo (%(given)s) khác số tiền phải nộp (%(expected)s).")


class WrongCurrency(NotificationRejected):
    code = "payments.wrong_currency"
    reply_code = "04"
    default_message = _("Loại tiền trong thông báo (%(given)s) không phải VND.")


class AlreadyConfirmed(NotificationRejected):
    code = "payments.already_confirmed"
    reply_code = "02"
    default_message = _("Giao dịch này đã được ghi nhận trước đó.")
