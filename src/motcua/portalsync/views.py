"""``/dong-bo-dvcqg/``: the operations page of the national portal sync.

For system administrators (every dossier) and desk staff (their desk's dossiers): what
is queued, dead or late, which dossiers have events the portal has not acknowledged (the
oldest first, with the lag, the failures and the portal's last error), the rejected
pulls, and the "synced on time" share of this month and the last. Plain GET: it works
without JavaScript and can be bookmarked; ``?loi=1`` keeps only the failing dossiers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from motcua.identity.selectors import actor_from_request
from motcua.kernel import clock
from motcua.portalsync import selectors
from motcua.portalsync.models import PortalDossierSync

__all__ = ["operations"]


@dataclass(frozen=True)
class Row:
    sync: PortalDossierSync
    lag: str
    is_late: bool
    is_failing: bool


def describe_duration(delta: dt.timedelta) -> str:
    """Return "45 giây", "12 phút", "3 giờ 5 phút", "2 ngày 4 giờ"."""
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return ngettext("%(n)d giây", "%(n)d giây", seconds) % {"n": seconds}
    minutes = seconds // 60
    if minutes < 60:
        return ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return gettext("%(h)d giờ %(m)d phút") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return gettext("%(d)d ngày %(h)d giờ") % {"d": days, "h": hours}


def _month_start(moment: dt.datetime) -> dt.datetime:
    local = clock.local(moment)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@require_safe
def operations(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actor = actor_from_request(request)
    if not selectors.can_view_operations(actor):
        raise PermissionDenied(_("Trang này dành cho quản trị hệ thống và cán bộ một cửa."))
    now = clock.now()
    target = dt.timedelta(seconds=settings.DVCQG_SYNC_TARGET_SECONDS)
    only_failing = request.GET.get("loi") == "1"
    rows = []
    for sync in selectors.list_sync_problems(actor):
        lag = sync.lag_at(now)
        row = Row(sync, describe_duration(lag), lag > target, sync.consecutive_failures > 0)
        if not only_failing or row.is_failing:
            rows.append(row)
    this_month = _month_start(now)
    last_month = _month_start(this_month - dt.timedelta(days=1))
    agency_id = None if actor.is_superuser or actor.has_role("system_admin") else actor.agency_id
    backlog = selectors.get_backlog()
    shares = [
        (gettext("Tháng này"), selectors.compute_sync_share(this_month, now, agency_id=agency_id)),
        (
            gettext("Tháng trước"),
            selectors.compute_sync_share(last_month, this_month, agency_id=agency_id),
        ),
    ]
    return render(
        request,
        "portalsync/operations.html",
        {
            "rows": rows,
            "only_failing": only_failing,
            "backlog": backlog,
            "backlog_age": describe_duration(now - backlog.oldest_at) if backlog.oldest_at else "",
            "rejected_imports": selectors.list_rejected_imports() if agency_id is None else [],
            "shares": shares,
            "target": describe_duration(target),
            "portal_url": settings.DVCQG_URL,
            "breadcrumbs": [(_("Đồng bộ Cổng Dịch vụ công quốc gia"), None)],
        },
    )
