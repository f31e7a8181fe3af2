"""Django admin of agencies, saved through ``agencies.actions`` on behalf of the official.

It lives here, not in ``agencies/admin.py``, because it needs ``get_actor`` and
agencies sit below identity. The form runs the action's checks in ``clean()`` so that
every error shows on its field; ``save_model`` then calls the action.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.agencies import actions
from motcua.agencies.checks import AgencyDraft, check_agency
from motcua.agencies.models import Agency
from motcua.agencies.permissions import check_can_manage_agency, check_can_place_under
from motcua.identity.selectors import actor_from_request
from motcua.kernel.errors import ApplicationError

__all__ = ["AgencyAdmin", "AgencyAdminForm"]

_FORM_FIELDS = {"parent_code": "parent", "admin_unit_code": "admin_unit"}


class AgencyAdminForm(forms.ModelForm[Agency]):
    """Run the action's checks at ``clean()`` time so that errors show on the fields."""

    request: HttpRequest

    class Meta:
        model = Agency
        fields = [
            "code", "name", "short_name", "kind", "level", "parent", "admin_unit",
            "is_vertical_sector", "portal_department_id", "address", "phone", "email",
            "valid_from", "valid_to",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        instance = self.instance if self.instance.pk else None
        draft = AgencyDraft(**{f: data.get(f) for f in self.Meta.fields})  # type: ignore[arg-type]
        draft.code = (draft.code or "").strip().upper()
        actor = actor_from_request(self.request)
        try:
            if instance is not None:
                check_can_manage_agency(actor, instance)
            if instance is None or draft.parent != instance.parent:
                check_can_place_under(actor, draft.parent)
            check_agency(draft, instance=instance)
        except ApplicationError as error:
            if not error.field_errors:
                raise forms.ValidationError(error.message) from None
            for field, messages_ in error.field_errors.items():
                target = _FORM_FIELDS.get(field, field)
                for message in messages_:
                    self.add_error(target if target in self.fields else None, str(message))
        return data


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    form = AgencyAdminForm
    list_display = ["code", "name", "kind", "level", "admin_unit", "is_active"]
    list_filter = ["kind", "level", "is_active", "is_vertical_sector"]
    search_fields = ["code", "name", "name_folded"]
    list_select_related = ["admin_unit"]
    autocomplete_fields = ["parent"]
    raw_id_fields = ["admin_unit"]
    actions = ["deactivate"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # type: ignore[attr-defined]
        return form

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # agencies are deactivated, never deleted: dossiers refer to them

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        actor = actor_from_request(request)
        data = form.cleaned_data
        values = {
            field: data.get(field)
            for field in form.Meta.fields
            if field not in ("parent", "admin_unit")
        }
        values["parent_code"] = data["parent"].code if data.get("parent") else None
        values["admin_unit_code"] = data["admin_unit"].code if data.get("admin_unit") else None
        for text in ("short_name", "portal_department_id", "address", "phone", "email"):
            values[text] = values.get(text) or ""
        if change:
            original = Agency.objects.select_related("parent", "admin_unit").get(pk=obj.pk)
            saved = actions.do_update_agency(original, actor=actor, **values)
        else:
            saved = actions.do_create_agency(actor=actor, **values)
        obj.pk = saved.pk

    @admin.action(description=_("Cho các cơ quan đã chọn ngừng hoạt động"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Agency]) -> None:
        actor = actor_from_request(request)
        for agency in queryset:
            try:
                actions.do_deactivate_agency(agency, actor=actor)
            except ApplicationError as error:
                self.message_user(request, f"{agency.code}: {error.message}", messages.ERROR)
