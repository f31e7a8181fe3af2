"""Django admin of the procedure catalogue; every save goes through ``catalog.actions``.

Catalogue administrators (``CATALOG_ADMIN`` or ``SYSTEM_ADMIN``) edit drafts with their
cases, documents, fees, steps, legal bases and forms inline, publish, draft the next
version, abolish, and import files (``import/``: a per-row report). Published
versions are read-only: they are what dossiers refer to.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog import (
    actions,
    admin_reference,  # noqa: F401  (registers the reference admins)
)
from motcua.catalog.actions._references import load_references
from motcua.catalog.actors import actor_of
from motcua.catalog.admin_base import CatalogAdmin, can_edit, is_catalog_admin
from motcua.catalog.admin_forms import (
    CaseScopedForm,
    CatalogActionForm,
    ChildForm,
    DocumentForm,
    ProcedureVersionForm,
    VersionFormSet,
)
from motcua.catalog.admin_import import import_view
from motcua.catalog.enums import PublicationState
from motcua.catalog.models import (
    ApplicationFormTemplate,
    FeeItem,
    LegalBasis,
    Procedure,
    ProcedureCase,
    ProcedureDocument,
    ProcedureVersion,
    ProcessStep,
)
from motcua.catalog.schemas import AnnouncementData, ProcedureData
from motcua.catalog.validation import Issue, check_references
from motcua.kernel.errors import ApplicationError

__all__ = ["ProcedureVersionAdmin"]

CONTEXT_ATTR = "_catalog_admin_context"


class _PartInline(admin.TabularInline):
    formset = VersionFormSet
    form = ChildForm
    extra = 0
    data_list = ""
    exclude = ["position"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"data_list": self.data_list})

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_edit(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_catalog_admin(request)


class CaseInline(_PartInline):
    model = ProcedureCase
    data_list = "cases"
    extra = 1


class FormTemplateInline(_PartInline):
    model = ApplicationFormTemplate
    data_list = "forms"


class DocumentInline(_PartInline):
    model = ProcedureDocument
    form = DocumentForm
    data_list = "documents"
    exclude = ["position", "case", "template"]


class FeeInline(_PartInline):
    model = FeeItem
    form = CaseScopedForm
    data_list = "fees"
    exclude = ["position", "case"]


class StepInline(_PartInline):
    model = ProcessStep
    form = CaseScopedForm
    data_list = "steps"
    exclude = ["position", "case"]
    raw_id_fields = ["agency"]


class LegalBasisInline(_PartInline):
    model = LegalBasis
    data_list = "legal_bases"


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(CatalogAdmin):
    form = ProcedureVersionForm
    action_form = CatalogActionForm
    inlines = [
        CaseInline,
        FormTemplateInline,
        DocumentInline,
        FeeInline,
        StepInline,
        LegalBasisInline,
    ]
    list_display = [
        "code",
        "number",
        "name",
        "field",
        "state",
        "online_level",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["state", "online_level", "is_inter_agency", "field"]
    search_fields = ["code", "name", "search_text"]
    list_select_related = ["field"]
    ordering = ["code", "-number"]
    filter_horizontal = ["implementing_agencies", "applying_agencies"]
    readonly_fields = ["state", "valid_from", "valid_to", "published_at"]
    show_full_result_count = False
    actions = ["publish_selected", "draft_next_version", "abolish_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "procedure_code",
                    "name",
                    "field",
                    "state",
                    "valid_from",
                    "valid_to",
                    "published_at",
                ]
            },
        ),
        (
            gettext_lazy("Đối tượng, cấp và cơ quan thực hiện"),
            {
                "fields": [
                    "levels",
                    "subjects",
                    "implementing_agencies",
                    "implementing_agency_names",
                    "applying_agencies",
                    "applying_agency_names",
                ]
            },
        ),
        (
            gettext_lazy("Trình tự, cách thức, yêu cầu"),
            {
                "fields": [
                    "sequence",
                    "submission_methods",
                    "method_note",
                    "requirements",
                    "is_inter_agency",
                ]
            },
        ),
        (
            gettext_lazy("Kết quả, phí và dịch vụ công trực tuyến"),
            {
                "fields": [
                    "result_is_document",
                    "result_name",
                    "is_free",
                    "fee_code",
                    "online_level",
                    "is_full_online_eligible",
                    "is_online_only",
                ]
            },
        ),
        (gettext_lazy("Công bố"), {"fields": ["announcement", "note"]}),
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_edit(request, obj)

    # --- saving through the actions ----------------------------------------------------

    def _context(self, request: HttpRequest) -> dict[str, Any]:
        context: dict[str, Any] = request.__dict__.setdefault(CONTEXT_ATTR, {})
        return context

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Any, inline: Any, prefix: str
    ) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        context = self._context(request)
        context["check"] = self._database_checks
        kwargs["catalog_context"] = context
        return kwargs

    @staticmethod
    def _database_checks(data: ProcedureData) -> list[Issue]:
        issues = check_references(data, load_references([data]))
        procedure = Procedure.objects.filter(code=data.code).first()
        if procedure is not None and procedure.abolished_at is not None:
            issues.append(
                Issue(("code",), _("Thủ tục “%(code)s” đã bị bãi bỏ.") % {"code": data.code})
            )
        return issues

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        self._context(request)["form"] = form
        return form.instance

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Save nothing here: ``save_related`` saves the version and its parts together."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        data: ProcedureData = self._context(request)["data"]
        for formset in formsets:
            # The admin's change message reads these; the rows were saved by the action.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.data_list == "forms":
                for index, child in enumerate(formset.live_forms()):
                    upload = child.cleaned_data.get("file")
                    if isinstance(upload, UploadedFile):
                        data.forms[index].file = default_storage.save(
                            f"catalog/forms/{upload.name}", upload
                        )
        actor = actor_of(request.user)
        if change:
            version = actions.do_update_procedure_version(form.instance, actor=actor, data=data)
        else:
            procedure = Procedure.objects.filter(code=data.code).first()
            if procedure is None:
                version = actions.do_create_procedure(data, actor=actor)
            else:
                version = actions.do_create_procedure_version(procedure, actor=actor, data=data)
        form.instance.pk = version.pk
        form.instance.code = version.code
        form.instance.number = version.number

    # --- list actions ------------------------------------------------------------------

    def _run(self, request: HttpRequest, items: Any, action: Any, done: str) -> None:
        count = 0
        for item in items:
            try:
                action(item)
                count += 1
            except ApplicationError as exc:
                self.message_user(request, f"{item}: {exc.message}", messages.ERROR)
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Công bố các bản nháp đã chọn"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        actor = actor_of(request.user)
        self._run(
            request,
            queryset.filter(state=PublicationState.DRAFT),
            lambda v: actions.do_publish_procedure_version(v, actor=actor),
            _("Đã công bố %(count)s phiên bản."),
        )

    @admin.action(description=gettext_lazy("Tạo phiên bản mới (sao chép) để sửa đổi, bổ sung"))
    def draft_next_version(
        self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]
    ) -> None:
        actor = actor_of(request.user)
        procedures = {v.procedure_id: v.procedure for v in queryset.select_related("procedure")}
        self._run(
            request,
            procedures.values(),
            lambda p: actions.do_create_procedure_version(p, actor=actor),
            _("Đã tạo %(count)s bản nháp."),
        )

    @admin.action(description=gettext_lazy("Bãi bỏ thủ tục (ghi quyết định bãi bỏ ở trên)"))
    def abolish_selected(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        form = CatalogActionForm(request.POST)
        form.is_valid()
        values = form.cleaned_data
        if not (
            values.get("decision_number")
            and values.get("decided_on")
            and values.get("effective_on")
        ):
            self.message_user(
                request,
                _("Hãy ghi số, ngày ban hành và ngày hiệu lực của quyết định bãi bỏ."),
                messages.ERROR,
            )
            return
        decision = AnnouncementData(
            issuer="",
            number=values["decision_number"],
            decided_on=values["decided_on"],
            effective_on=values["effective_on"],
        )
        actor = actor_of(request.user)
        procedures = {v.procedure_id: v.procedure for v in queryset.select_related("procedure")}
        self._run(
            request,
            procedures.values(),
            lambda p: actions.do_abolish_procedure(p, actor=actor, decision=decision),
            _("Đã bãi bỏ %(count)s thủ tục."),
        )

    # --- import page -------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(lambda request: import_view(self, request))
        return [path("import/", view, name="catalog_procedureversion_import"), *super().get_urls()]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # A template object, not a file: the catalogue's template folder holds the public pages.
        setattr(self, "change_list_template", engines["django"].from_string(CHANGE_LIST))  # noqa: B010
        return super().changelist_view(request, extra_context)


CHANGE_LIST = """{% extends "admin/change_list.html" %}{% load i18n %}
{% block object-tools-items %}<li><a href="import/">{% translate "Nhập danh mục từ tệp" %}</a></li>{{ block.super }}{% endblock %}"""
