"""Errors of the integration layer (stable codes, translated messages)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import InvalidInput, WrongState

__all__ = ["InvalidSubscription", "NotDead"]


class InvalidSubscription(InvalidInput):
    code = "webhook.invalid_subscription"
    default_message = _("Thông tin đăng ký webhook không hợp lệ.")


class NotDead(WrongState):
    code = "outbox.not_dead"
    default_message = _("Chỉ gửi lại được thông điệp đã dừng thử lại.")
