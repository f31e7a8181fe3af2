"""The personal data store (``/ca-nhan/kho-du-lieu/``): every result issued to the citizen
and every document of theirs an officer accepted, with type, issuer, date and validity.

Only the owner's items are listed or served (by their personal ID or enterprise code);
another owner's item is a 404 like an unknown one.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from motcua.documents import selectors as documents_selectors
from motcua.documents.errors import StoreItemNotFound
from motcua.kernel import clock
from motcua.portal import selectors
from motcua.portal.views._common import citizen_required, request_actor

__all__ = ["data_store", "download_item"]


@require_safe
@citizen_required
def data_store(request: HttpRequest) -> HttpResponse:
    citizen = selectors.get_citizen(request_actor(request))
    now = clock.now()
    items = [
        (item, item.is_valid_at(now))
        for item in documents_selectors.list_store_items(selectors.owner_key(citizen))
    ]
    return render(
        request,
        "portal/data_store.html",
        {"items": items, "breadcrumbs": [(_("Kho dữ liệu của tôi"), None)]},
    )


@require_safe
@citizen_required
def download_item(request: HttpRequest, pk: int) -> FileResponse:
    citizen = selectors.get_citizen(request_actor(request))
    try:
        item = documents_selectors.get_store_item_for(selectors.owner_key(citizen), pk)
    except StoreItemNotFound:
        raise Http404(StoreItemNotFound.default_message) from None
    stream, content_type, name = documents_selectors.open_store_item_file(item)
    return FileResponse(stream, content_type=content_type, filename=name, as_attachment=True)
