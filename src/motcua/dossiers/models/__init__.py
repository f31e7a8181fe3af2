"""The dossier tables (see ``dossier`` and ``parts``)."""

from motcua.dossiers.models.dossier import Dossier, RouteLeg
from motcua.dossiers.models.parts import (
    DossierCodeSequence,
    DossierDocument,
    Extension,
    HandoverEntry,
    Rating,
    Refusal,
    StopNotice,
    SupplementRequest,
    SupplementStage,
)

__all__ = [
    "Dossier",
    "DossierCodeSequence",
    "DossierDocument",
    "Extension",
    "HandoverEntry",
    "Rating",
    "Refusal",
    "RouteLeg",
    "StopNotice",
    "SupplementRequest",
    "SupplementStage",
]
