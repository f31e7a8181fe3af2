"""Django admin for the national calendar and agencies' office hours, writing through actions.

Forms validate with the actions' ``check_*`` functions, so that a duplicate date, a
working day that is not a weekend or office hours out of order come back as form
errors; ``save_model``/``delete_model`` call the ``do_*`` actions, which audit.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.kernel.actors import Actor, ActorKind
from motcua.kernel.errors import ApplicationError
from motcua.workdays import actions
from motcua.workdays.models import AgencySchedule, CalendarDay
from motcua.workdays.schedule import Schedule

__all__ = ["AgencyScheduleAdmin", "CalendarDayAdmin", "actor_from_request"]


def actor_from_request(request: HttpRequest) -> Actor:
    """Return the actor of the admin user (an official; roles come from superuser status)."""
    user = request.user
    return Actor(
        kind=ActorKind.OFFICIAL,
        id=str(user.pk),
        display_name=user.get_username(),
        user_id=user.pk,
        is_superuser=user.is_superuser,
    )


def _add_error(form: forms.ModelForm, error: ApplicationError) -> None:
    """Put ``error`` on the fields it names, or on the form when it names none it knows."""
    placed = False
    for field, messages_ in error.field_errors.items():
        if field in form.fields:
            for message in messages_:
                form.add_error(field, str(message))
            placed = True
    if not placed or error.params:
        form.add_error(None, error.message)


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "source_document"]
        widgets = {"source_document": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            actions.check_can_change_calendar(self.actor)
            if self.instance.pk is None:
                actions.check_new_calendar_day(
                    data["date"],
                    kind=data["kind"],
                    name=data.get("name", ""),
                    source_document=data.get("source_document", ""),
                )
            else:
                actions.check_calendar_day_text(
                    name=data.get("name", ""), source_document=data.get("source_document", "")
                )
        except ApplicationError as error:
            _add_error(self, error)
        return data


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ("date", "weekday", "kind", "name", "source_document", "origin")
    list_filter = ("kind", "origin")
    search_fields = ("name", "source_document")
    date_hierarchy = "date"
    ordering = ("date",)

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarDay) -> str:
        return str(_WEEKDAYS[obj.date.weekday()])

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("date", "kind", "origin") if obj is not None else ()

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        actor = actor_from_request(request)

        class BoundForm(form_class):  # type: ignore[misc,valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, actor=actor, **kw)

        return BoundForm

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        actor = actor_from_request(request)
        if change:
            actions.do_update_calendar_day(
                obj, actor=actor, name=obj.name, source_document=obj.source_document
            )
        else:
            saved = actions.do_add_calendar_day(
                obj.date,
                actor=actor,
                kind=obj.kind,
                name=obj.name,
                source_document=obj.source_document,
            )
            obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        actions.do_remove_calendar_day(
            obj, actor=actor_from_request(request), reason=str(_REMOVED_IN_ADMIN)
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> None:
        actor = actor_from_request(request)
        for day in queryset:
            actions.do_remove_calendar_day(day, actor=actor, reason=str(_REMOVED_IN_ADMIN))


class AgencyScheduleForm(forms.ModelForm):
    class Meta:
        model = AgencySchedule
        fields = [
            "agency",
            "morning_start",
            "morning_end",
            "afternoon_start",
            "afternoon_end",
            "cutoff_time",
            "due_time",
        ]

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            actions.check_can_change_schedule(self.actor, data["agency"])
            Schedule(**{name: data[name] for name in self.Meta.fields if name != "agency"})
        except ApplicationError as error:
            _add_error(self, error)
        return data


@admin.register(AgencySchedule)
class AgencyScheduleAdmin(admin.ModelAdmin):
    form = AgencyScheduleForm
    list_display = (
        "agency",
        "morning_start",
        "morning_end",
        "afternoon_start",
        "afternoon_end",
        "cutoff_time",
        "due_time",
    )
    search_fields = ("agency__code", "agency__name")
    raw_id_fields = ("agency",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("agency",) if obj is not None else ()

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        actor = actor_from_request(request)

        class BoundForm(form_class):  # type: ignore[misc,valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, actor=actor, **kw)

        return BoundForm

    def save_model(
        self, request: HttpRequest, obj: AgencySchedule, form: Any, change: bool
    ) -> None:
        saved = actions.do_set_agency_schedule(
            obj.agency,
            actor=actor_from_request(request),
            morning_start=obj.morning_start,
            morning_end=obj.morning_end,
            afternoon_start=obj.afternoon_start,
            afternoon_end=obj.afternoon_end,
            cutoff_time=obj.cutoff_time,
            due_time=obj.due_time,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: AgencySchedule) -> None:
        actions.do_reset_agency_schedule(obj.agency, actor=actor_from_request(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AgencySchedule]) -> None:
        actor = actor_from_request(request)
        for row in queryset.select_related("agency"):
            actions.do_reset_agency_schedule(row.agency, actor=actor)
        messages.info(request, _("Các cơ quan này dùng lại giờ làm việc chung."))


_REMOVED_IN_ADMIN = _("Xóa trên trang quản trị")
_WEEKDAYS = (
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ nhật"),
)
