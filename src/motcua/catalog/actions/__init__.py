"""The write path of the procedure catalogue: every change is a ``do_*`` function here."""

from motcua.catalog.actions.fields import do_save_field
from motcua.catalog.actions.imports import do_import_procedures
from motcua.catalog.actions.listings import do_end_boundary_free_listing, do_list_boundary_free
from motcua.catalog.actions.versions import (
    do_abolish_procedure,
    do_create_procedure,
    do_create_procedure_version,
    do_publish_procedure_version,
    do_record_announcement_decision,
    do_update_procedure_version,
)

__all__ = [
    "do_abolish_procedure",
    "do_create_procedure",
    "do_create_procedure_version",
    "do_end_boundary_free_listing",
    "do_import_procedures",
    "do_list_boundary_free",
    "do_publish_procedure_version",
    "do_record_announcement_decision",
    "do_save_field",
    "do_update_procedure_version",
]
