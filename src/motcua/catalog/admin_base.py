"""What every catalogue admin shares: who may see and change the catalogue there."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.catalog.actors import actor_of
from motcua.catalog.enums import PublicationState
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.states import CATALOG_ADMIN_ROLES

__all__ = ["CatalogAdmin", "can_edit", "is_catalog_admin"]


def is_catalog_admin(request: HttpRequest) -> bool:
    return actor_of(request.user).has_role(*CATALOG_ADMIN_ROLES)


def can_edit(request: HttpRequest, obj: ProcedureVersion | None) -> bool:
    return is_catalog_admin(request) and (obj is None or obj.state == PublicationState.DRAFT)


class CatalogAdmin(admin.ModelAdmin):
    """Visible to catalogue admins (and superusers); never deleted from the admin."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_catalog_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_catalog_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_catalog_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_catalog_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
