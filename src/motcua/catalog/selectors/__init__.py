"""Reads of the procedure catalogue: versions in force, search, the procedure page, export.

The catalogue is public: published versions are visible to everyone; drafts only to
catalogue administrators (``actor`` argument). Every selector fetches its related rows
in a fixed number of queries, whatever the size of the catalogue.
"""

from motcua.catalog.selectors.page import CaseSection, ProcedurePage, get_procedure_page
from motcua.catalog.selectors.parts import VersionParts, clear_parts_cache, get_version_parts
from motcua.catalog.selectors.search import MAX_PAGE_SIZE, SearchResult, search_procedures
from motcua.catalog.selectors.versions import (
    get_version,
    get_version_in_force,
    is_boundary_free,
    iter_versions_for_export,
    list_fields,
    prefetch_exchange_data,
    versions_in_force,
)

__all__ = [
    "MAX_PAGE_SIZE",
    "CaseSection",
    "ProcedurePage",
    "SearchResult",
    "VersionParts",
    "clear_parts_cache",
    "get_procedure_page",
    "get_version",
    "get_version_in_force",
    "get_version_parts",
    "is_boundary_free",
    "iter_versions_for_export",
    "list_fields",
    "prefetch_exchange_data",
    "search_procedures",
    "versions_in_force",
]
