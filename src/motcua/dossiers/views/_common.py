"""What the dossier screens share: the officials-only guard and the deadline wording."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua import workdays
from motcua.identity.selectors import actor_from_request
from motcua.kernel import clock
from motcua.kernel.actors import Actor

__all__ = ["DueStatus", "due_status", "official_required", "request_actor"]

View = Callable[..., HttpResponseBase]


def request_actor(request: HttpRequest) -> Actor:
    """Return the actor of the request (computed once per request)."""
    return actor_from_request(request)


def official_required(view: View) -> View:
    """Let only officials in: anonymous visitors go to the login page, others get 403."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request_actor(request).is_official:
            raise PermissionDenied(_("Trang này chỉ dành cho cán bộ, công chức."))
        return view(request, *args, **kwargs)

    return wrapped


@dataclass(frozen=True)
class DueStatus:
    """The appointment date in words: "còn 3 ngày làm việc", "quá hạn 2 ngày làm việc"."""

    text: str
    is_overdue: bool
    is_due_today: bool

    @property
    def tone(self) -> str:
        """Return the CSS modifier; the text always says the same without colour."""
        if self.is_overdue:
            return "overdue"
        return "today" if self.is_due_today else "ok"


def due_status(due_at: dt.datetime | None, at: dt.datetime | None = None) -> DueStatus | None:
    """Return how far ``due_at`` is from ``at`` in working days, or ``None`` without a date.

    Days are counted on the working-day calendar (``workdays``), in Asia/Ho_Chi_Minh.
    """
    if due_at is None:
        return None
    moment = at or clock.now()
    today, due_day = clock.local(moment).date(), clock.local(due_at).date()
    if due_at < moment:
        days = workdays.count_working_days(due_day, today) if due_day < today else 0
        if days == 0:
            return DueStatus(gettext("quá hạn (hôm nay)"), is_overdue=True, is_due_today=False)
        text = gettext("quá hạn %(days)s ngày làm việc") % {"days": days}
        return DueStatus(text, is_overdue=True, is_due_today=False)
    days = workdays.count_working_days(today, due_day) if due_day > today else 0
    if days == 0:
        return DueStatus(gettext("đến hạn hôm nay"), is_overdue=False, is_due_today=True)
    return DueStatus(
        gettext("còn %(days)s ngày làm việc") % {"days": days}, is_overdue=False, is_due_today=False
    )
