"""Admin of the catalogue's reference rows: fields, announcement decisions, boundary-free lists.

Every save goes through ``catalog.actions``; recorded decisions never change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.catalog import actions
from motcua.catalog.actors import actor_of
from motcua.catalog.admin_base import CatalogAdmin, is_catalog_admin
from motcua.catalog.models import AnnouncementDecision, BoundaryFreeListing, Field
from motcua.catalog.schemas import AnnouncementData

__all__ = ["AnnouncementDecisionAdmin", "BoundaryFreeListingAdmin", "FieldAdmin"]


@admin.register(Field)
class FieldAdmin(CatalogAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code"] if obj else []  # a field is renamed, never re-coded

    def save_model(self, request: HttpRequest, obj: Field, form: Any, change: bool) -> None:
        saved = actions.do_save_field(obj.code, actor=actor_of(request.user), name=obj.name)
        obj.pk = saved.pk


@admin.register(AnnouncementDecision)
class AnnouncementDecisionAdmin(CatalogAdmin):
    list_display = ["number", "issuer", "decided_on", "effective_on"]
    search_fields = ["number", "issuer"]
    date_hierarchy = "decided_on"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and is_catalog_admin(request)  # a recorded decision never changes

    def save_model(
        self, request: HttpRequest, obj: AnnouncementDecision, form: Any, change: bool
    ) -> None:
        data = AnnouncementData(
            number=obj.number,
            issuer=obj.issuer,
            decided_on=obj.decided_on,
            effective_on=obj.effective_on,
        )
        obj.pk = actions.do_record_announcement_decision(data, actor=actor_of(request.user)).pk


@admin.register(BoundaryFreeListing)
class BoundaryFreeListingAdmin(CatalogAdmin):
    list_display = ["procedure", "province", "valid_from", "valid_to"]
    list_filter = ["province"]
    search_fields = ["procedure__code"]
    raw_id_fields = ["procedure", "province"]
    list_select_related = ["procedure", "province"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["procedure", "province", "valid_from"] if obj else []

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:  # a listing is changed only to end it
            form.base_fields["valid_to"].required = True
        return form

    def save_model(
        self, request: HttpRequest, obj: BoundaryFreeListing, form: Any, change: bool
    ) -> None:
        actor = actor_of(request.user)
        if change:
            assert obj.valid_to is not None  # required by get_form
            actions.do_end_boundary_free_listing(obj, actor=actor, valid_to=obj.valid_to)
            return
        obj.pk = actions.do_list_boundary_free(
            obj.procedure,
            actor=actor,
            province=obj.province,
            valid_from=obj.valid_from,
            valid_to=obj.valid_to,
        ).pk
