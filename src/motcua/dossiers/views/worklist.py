"""The officials' workspace ``/ho-so/``: one tab per worklist of the official's roles.

Tabs come from ``selectors.Worklist.for_actor`` (to receive, to transfer, awaiting
supplements, to return at the desk; to assign, to process, to review, to sign in an
agency), each with its count; "Tất cả hồ sơ" lists every dossier of the agency and is
the tab where the state filter applies. Pages are keyset-paged by appointment date
(``cursor``); the search box finds a dossier by its code. Plain GET links and forms:
everything works without JavaScript and every view can be bookmarked.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from motcua.dossiers import selectors, worklist_cache
from motcua.dossiers.forms import WorklistFilterForm
from motcua.dossiers.schemas import state_labels
from motcua.dossiers.selectors import WORKLIST_ROW_FIELDS, Worklist
from motcua.dossiers.views._common import due_status, official_required, request_actor
from motcua.dossiers.views.queries import COUNT_CAP, count_worklists, search_dossiers_by_code
from motcua.dossiers.worklist_cache import CachedPage
from motcua.kernel import clock
from motcua.kernel.errors import ApplicationError
from motcua.kernel.text import mask_id

__all__ = ["ALL", "worklist"]

ALL = "all"
_PK_MARK = 987654321


@dataclass(frozen=True)
class Tab:
    name: str
    label: str
    count: int | None
    url: str
    is_current: bool

    @property
    def count_label(self) -> str:
        """``"12"``, or ``"99+"`` past ``COUNT_CAP``."""
        if self.count is None:
            return ""
        return f"{COUNT_CAP}+" if self.count > COUNT_CAP else str(self.count)


def _escape(value: object) -> str:
    # The standard library's escape (what Django's ``escape`` calls), without the lazy
    # check and the SafeString of each of the page's ~600 values.
    return html.escape(str(value))


# One worklist row. Built in Python, like the admin's change-list rows
# (``items_for_result``): through the template engine the 50 rows of a page took 6 ms of
# the page's 17 ms of CPU (ADR 0022). Every value is escaped here.
_ROW = (
    '<tr role="row">'
    '<td role="cell" class="worklist-code"><a href="{url}">{code}</a></td>'
    '<td role="cell" data-label="{l_applicant}">{applicant}<br>'
    '<span class="dossiers-muted small">{applicant_id}</span></td>'
    '<td role="cell" data-label="{l_procedure}">'
    '<span class="dossiers-muted small">{procedure_code}</span> {procedure}</td>'
    '<td role="cell" data-label="{l_received}">{received}</td>'
    '<td role="cell" data-label="{l_due}">{due}</td>'
    '<td role="cell" data-label="{l_state}"><span class="state-badge">{state}</span></td>'
    "</tr>\n"
)


def _moment(value: dt.datetime | None) -> str:
    # strftime on the local time: a tenth of the ``date`` filter's cost, for 2 cells × 50 rows.
    return clock.local(value).strftime("%H:%M %d/%m/%Y") if value is not None else ""


def _rows_html(items: list[dict[str, Any]], now: dt.datetime) -> SafeString:
    """Return the ``<tr>`` of each dossier row (dicts of ``WORKLIST_ROW_FIELDS``)."""
    labels = state_labels()  # once per page, not ``get_state_display()`` per row
    # One reverse() for the page, not one per row.
    detail = reverse("dossiers:detail", args=[_PK_MARK]).replace(str(_PK_MARK), "{}")
    cells = {  # the cells' labels (shown on phones), translated once
        "l_applicant": _escape(gettext("Người yêu cầu")),
        "l_procedure": _escape(gettext("Thủ tục")),
        "l_received": _escape(gettext("Tiếp nhận")),
        "l_due": _escape(gettext("Hẹn trả")),
        "l_state": _escape(gettext("Trạng thái")),
    }
    not_received = f'<span class="dossiers-muted">{_escape(gettext("Chưa tiếp nhận"))}</span>'
    out = []
    for d in items:
        due = due_status(d["due_at"], now)
        due_cell = _moment(d["due_at"]) if d["due_at"] is not None else "—"  # digits only
        if due is not None:
            due_cell += f'<br><span class="due due-{due.tone}">{_escape(due.text)}</span>'
        out.append(
            _ROW.format(
                url=_escape(detail.format(d["id"])),
                code=_escape(d["code"] or d["reference"]),
                applicant=_escape(d["applicant_name"]),
                applicant_id=_escape(mask_id(d["applicant_id_number"])),
                procedure_code=_escape(d["procedure_code"]),
                procedure=_escape(d["procedure_version__name"]),
                received=_moment(d["received_at"]) if d["received_at"] else not_received,
                due=due_cell,
                state=_escape(labels.get(d["state"], d["state"])),
                **cells,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 — every value above is escaped


def _url(**params: str) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v})


@require_safe
@official_required
def worklist(request: HttpRequest) -> HttpResponse:
    """Show one worklist (or the search results) of the official's agency."""
    actor = request_actor(request)
    names = Worklist.for_actor(actor)
    if not names:
        raise PermissionDenied(_("Bạn chưa được giao vai trò xử lý hồ sơ."))
    form = WorklistFilterForm(request.GET)
    query, due, state = form.value("q"), form.value("due"), form.value("state")
    current = request.GET.get("list", "")
    if current not in (*names, ALL):
        current = names[0]
    if state:
        current = ALL
    cursor = request.GET.get("cursor") or None
    rows: dict[str, Any] = {"as_rows": True, "fields": WORKLIST_ROW_FIELDS}

    def shown_page(items: list[dict[str, Any]], next_cursor: str | None) -> CachedPage:
        return CachedPage(
            count_worklists(actor), _rows_html(items, clock.now()), len(items), next_cursor
        )

    def compute() -> CachedPage:
        if current == ALL:
            page = selectors.list_dossiers(
                actor, state=state or None, due=due or None, cursor=cursor, **rows
            )
        else:
            page = selectors.list_worklist(actor, current, due=due or None, cursor=cursor, **rows)
        return shown_page(page.items, page.next_cursor)

    try:
        if query:
            found = search_dossiers_by_code(actor, query, fields=WORKLIST_ROW_FIELDS)
            shown = shown_page(found, None)
        else:
            # The tab counts are on every page, a handler's own "to process" among them.
            own = (
                Worklist.holds_own_only(actor, Worklist.TO_PROCESS) and Worklist.TO_PROCESS in names
            )
            shown = worklist_cache.cached_page(
                actor, (current, due, state, cursor), own=own, compute=compute
            )
    except ApplicationError as error:
        messages.error(request, error.message)
        cursor = None
        shown = shown_page([], None)
    counts, next_cursor = shown.counts, shown.next_cursor
    tabs = [
        Tab(
            name,
            str(Worklist.LABELS[name]),
            counts.get(name),
            _url(list=name, due=due),
            not query and name == current,
        )
        for name in names
    ]
    tabs.append(
        Tab(
            ALL, str(_("Tất cả hồ sơ")), None, _url(list=ALL, due=due), not query and current == ALL
        )
    )
    title = next((tab.label for tab in tabs if tab.is_current), str(_("Kết quả tìm kiếm")))
    return render(
        request,
        "dossiers/worklist.html",
        {
            "form": form,
            "tabs": tabs,
            "current": current,
            "title": title,
            "query": query,
            "rows_html": mark_safe(shown.rows_html),  # noqa: S308 — escaped by _rows_html
            "row_count": shown.row_count,
            "is_first_page": not cursor,
            "first_page_url": _url(list=current, due=due, state=state),
            "next_url": (
                _url(list=current, due=due, state=state, cursor=next_cursor) if next_cursor else ""
            ),
            "is_all": current == ALL and not query,
            "is_desk": Worklist.TO_RECEIVE in names,
            "breadcrumbs": [(_("Hồ sơ"), None)],
        },
    )
