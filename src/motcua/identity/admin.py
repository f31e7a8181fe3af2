"""Django admin: officials (read-only; managed through the actions) and agencies.

Registering ``agency_admin`` here keeps the agencies admin next to the actor it needs.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.identity import agency_admin  # noqa: F401  (registers the Agency admin)
from motcua.identity.actions import do_deactivate_official
from motcua.identity.models import Citizen, Official, RoleAssignment
from motcua.identity.selectors import actor_from_request
from motcua.kernel.admin import ReadOnlyAdmin
from motcua.kernel.errors import ApplicationError
from motcua.kernel.text import mask_id

__all__ = ["CitizenAdmin", "OfficialAdmin"]


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, Official]):
    model = RoleAssignment
    fields = ["role", "granted_at", "granted_by"]
    readonly_fields = ["role", "granted_at", "granted_by"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Official)
class OfficialAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "agency", "title", "is_active"]
    list_filter = ["is_active", "role_assignments__role"]
    search_fields = ["full_name", "user__username", "agency__code", "agency__name"]
    list_select_related = ["agency"]
    inlines = [RoleAssignmentInline]
    actions = ["deactivate"]

    @admin.action(description=_("Cho các cán bộ đã chọn ngừng hoạt động"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Official]) -> None:
        actor = actor_from_request(request)
        for official in queryset.select_related("agency", "user"):
            try:
                do_deactivate_official(official, actor=actor)
            except ApplicationError as error:
                self.message_user(request, f"{official}: {error.message}", messages.ERROR)


@admin.register(Citizen)
class CitizenAdmin(ReadOnlyAdmin):
    """Citizen and business accounts, read-only: every field comes from the national e-ID.

    The list masks the personal ID (the detail page shows it to whoever may view the
    account); search takes a whole personal ID or enterprise code (exact, indexed) or
    part of a name.
    """

    list_display = ["full_name", "kind", "masked_id", "assurance_level", "verified_at"]
    list_filter = ["kind", "assurance_level"]
    search_fields = ["=personal_id", "=organisation_code", "full_name"]
    ordering = ["-verified_at"]
    readonly_fields = [f.name for f in Citizen._meta.fields]

    @admin.display(description=_("số định danh / mã số doanh nghiệp"))
    def masked_id(self, obj: Citizen) -> str:
        return obj.organisation_code or mask_id(obj.personal_id)
