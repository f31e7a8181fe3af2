"""Errors of the workflow engine (stable codes)."""

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import ConcurrentTransition, PermissionDenied, WrongState

__all__ = ["ConcurrentTransition", "TransitionNotAllowed", "UnknownTransition", "WrongState"]


class TransitionNotAllowed(PermissionDenied):
    code = "transition_not_allowed"
    default_message = _("Bạn không có vai trò cần thiết để thực hiện thao tác “%(transition)s”.")


class UnknownTransition(WrongState):
    code = "unknown_transition"
    default_message = _("Thao tác “%(transition)s” không tồn tại.")
