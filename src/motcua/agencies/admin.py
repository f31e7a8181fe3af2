"""Django admin for administrative units (read-only reference data).

The admin of agencies is registered by ``identity.agency_admin``: saving an agency
needs the acting official (``identity.selectors.get_actor``), and agencies sit below
identity, so they may not import it.
"""

from __future__ import annotations

from django.contrib import admin

from motcua.agencies.models import AdminUnit
from motcua.kernel.admin import ReadOnlyAdmin

__all__ = ["AdminUnitAdmin"]


@admin.register(AdminUnit)
class AdminUnitAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "name",
        "level",
        "scheme",
        "parent",
        "valid_from",
        "valid_to",
        "successor",
    ]
    list_filter = ["scheme", "level"]
    search_fields = ["code", "name", "name_folded"]
    list_select_related = ["parent", "successor"]
    show_full_result_count = False
