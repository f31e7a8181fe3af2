"""Typed application errors with stable codes and translated messages.

Every error a user or a client can cause is an ``ApplicationError`` subclass. Its
``code`` never changes once published (clients branch on it); its ``message`` is
translated at render time. One handler turns them into RFC 9457 problem+json for the
API (``motcua.kernel.problems``) and into messages for the web
(``motcua.kernel.middleware``).
"""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ApplicationError",
    "ConcurrentTransition",
    "Conflict",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "WrongState",
]


class ApplicationError(Exception):
    """A failure that the caller caused and can understand.

    ``code`` is stable (``"dossier.wrong_state"``); ``default_message`` is a lazy
    translation that may use ``%(name)s`` placeholders filled from ``params``;
    ``field_errors`` maps input field names (or ``"row 3: code"``) to messages.
    """

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    default_message: ClassVar[str | Promise] = _("Yêu cầu không hợp lệ.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        params: dict[str, Any] | None = None,
        field_errors: dict[str, list[str | Promise]] | None = None,
    ) -> None:
        self._message = message
        if code is not None:
            self.code = code  # type: ignore[misc]
        self.params = params or {}
        self.field_errors = field_errors or {}
        super().__init__(self.code)

    @property
    def message(self) -> str:
        template = self._message if self._message is not None else self.default_message
        text = str(template)
        if self.params:
            # A translation that drops a placeholder must not turn an error into a crash.
            with contextlib.suppress(KeyError, TypeError, ValueError):
                text = text % self.params
        return text

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class InvalidInput(ApplicationError):
    code = "invalid_input"
    status = 422
    default_message = _("Dữ liệu nhập không hợp lệ.")


class NotFound(ApplicationError):
    code = "not_found"
    status = 404
    default_message = _("Không tìm thấy đối tượng được yêu cầu.")


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403
    default_message = _("Bạn không có quyền thực hiện thao tác này.")


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
    default_message = _("Dữ liệu đã tồn tại hoặc xung đột với dữ liệu hiện có.")


class WrongState(Conflict):
    code = "wrong_state"
    default_message = _("Không thể thực hiện thao tác này ở trạng thái hiện tại (%(state)s).")


class ConcurrentTransition(Conflict):
    code = "concurrent_transition"
    default_message = _(
        "Đối tượng vừa được người khác thay đổi. Vui lòng tải lại trang và thử lại."
    )
