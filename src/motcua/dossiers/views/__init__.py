"""Web pages of the dossier lifecycle for officials, and the public tracking page.

``worklist`` (``/ho-so/``), ``reception`` (``/ho-so/tiep-nhan/``), ``detail`` and
``act`` (``/ho-so/<pk>/``, ``/ho-so/<pk>/<action>/``), the file downloads, and
``tracking`` (``/tra-cuu-ho-so/``). Views are thin: they read through
``dossiers.selectors`` and write through ``dossiers.actions`` only.
"""

from motcua.dossiers.views.detail import (
    act,
    detail,
    download_file,
    download_form,
    download_result,
)
from motcua.dossiers.views.reception import reception
from motcua.dossiers.views.tracking import tracking
from motcua.dossiers.views.worklist import worklist

__all__ = [
    "act",
    "detail",
    "download_file",
    "download_form",
    "download_result",
    "reception",
    "tracking",
    "worklist",
]
