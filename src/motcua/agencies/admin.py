"""Django admin for administrative units (read-only reference data).

The admin of agencies is registered by ``identity.agency_admin``: saving an agency
needs the acting official (``identity.selectors.get_actor``), and agencies sit below
identity, so they may not import it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.agencies.models import AdminUnit

__all__ = ["AdminUnitAdmin"]


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin[AdminUnit]):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
