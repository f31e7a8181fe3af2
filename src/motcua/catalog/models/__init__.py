"""The procedure catalogue's tables (see ``procedures`` and ``parts``)."""

from motcua.catalog.models.parts import (
    ApplicationFormTemplate,
    FeeItem,
    LegalBasis,
    ProcedureCase,
    ProcedureDocument,
    ProcessStep,
    format_duration,
)
from motcua.catalog.models.procedures import (
    IN_FORCE_STATES,
    AnnouncementDecision,
    BoundaryFreeListing,
    Field,
    Procedure,
    ProcedureVersion,
)

__all__ = [
    "IN_FORCE_STATES",
    "AnnouncementDecision",
    "ApplicationFormTemplate",
    "BoundaryFreeListing",
    "FeeItem",
    "Field",
    "LegalBasis",
    "Procedure",
    "ProcedureCase",
    "ProcedureDocument",
    "ProcedureVersion",
    "ProcessStep",
    "format_duration",
]
