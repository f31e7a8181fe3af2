"""The citizen portal's pages: apply online (``drafts``), "My dossiers" (``mine``), the data
store (``store``)."""

from motcua.portal.views.drafts import (
    apply,
    draft_case,
    draft_confirm,
    draft_delete,
    draft_document,
    draft_documents,
    draft_fees,
    draft_form,
)
from motcua.portal.views.mine import (
    dossier,
    download_file,
    download_form,
    download_result,
    my_dossiers,
    rate,
    supplement,
    withdraw,
)
from motcua.portal.views.store import data_store, download_item

__all__ = [
    "apply",
    "data_store",
    "dossier",
    "download_file",
    "download_form",
    "download_item",
    "download_result",
    "draft_case",
    "draft_confirm",
    "draft_delete",
    "draft_document",
    "draft_documents",
    "draft_fees",
    "draft_form",
    "my_dossiers",
    "rate",
    "supplement",
    "withdraw",
]
