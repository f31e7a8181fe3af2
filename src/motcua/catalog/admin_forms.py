"""Forms of the catalogue admin, and the bridge from a submitted change form to ``ProcedureData``.

The admin never saves these forms: ``ProcedureVersionAdmin`` validates the form and its
inline formsets together as one ``ProcedureData`` (the rules of ``catalog.validation``,
shown on the field or row they concern) and saves through the actions.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from motcua.catalog.enums import ImplementationLevel, SubjectType, SubmissionMethod
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.schemas import ProcedureData
from motcua.catalog.validation import Issue, check_procedure_data, issues_from_pydantic

__all__ = [
    "UPLOAD_PLACEHOLDER",
    "CaseScopedForm",
    "CatalogActionForm",
    "ChildForm",
    "DocumentForm",
    "ImportForm",
    "ProcedureVersionForm",
    "VersionFormSet",
    "build_procedure_data",
]

LIST_FIELDS = ("implementing_agency_names", "applying_agency_names")
UPLOAD_PLACEHOLDER = "upload:"
CHILD_LISTS = ("cases", "documents", "fees", "steps", "legal_bases", "forms")


class ProcedureVersionForm(forms.ModelForm):
    """The scalar part of a version; ``procedure_code`` names the procedure when adding."""

    procedure_code = forms.CharField(
        label=_("mã thủ tục"),
        max_length=20,
        required=False,
        help_text=_("Dạng 1.xxxxxx hoặc 2.xxxxxx; mã đã có sẽ tạo phiên bản mới của thủ tục đó."),
    )
    levels = forms.MultipleChoiceField(
        label=_("cấp thực hiện"),
        choices=ImplementationLevel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    subjects = forms.MultipleChoiceField(
        label=_("đối tượng thực hiện"),
        choices=SubjectType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    submission_methods = forms.MultipleChoiceField(
        label=_("cách thức thực hiện"),
        choices=SubmissionMethod.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    implementing_agency_names = forms.CharField(
        label=_("cơ quan thực hiện ngoài hệ thống"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một cơ quan."),
    )
    applying_agency_names = forms.CharField(
        label=_("cơ quan áp dụng ngoài hệ thống"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một cơ quan."),
    )

    class Meta:
        model = ProcedureVersion
        fields = [
            "name",
            "field",
            "levels",
            "subjects",
            "submission_methods",
            "method_note",
            "sequence",
            "requirements",
            "implementing_agencies",
            "implementing_agency_names",
            "applying_agencies",
            "applying_agency_names",
            "result_is_document",
            "result_name",
            "online_level",
            "is_full_online_eligible",
            "is_online_only",
            "is_inter_agency",
            "is_free",
            "fee_code",
            "note",
            "announcement",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk:
            self.fields["procedure_code"].disabled = True
            self.initial["procedure_code"] = instance.code
            for name in LIST_FIELDS:
                self.initial[name] = "\n".join(getattr(instance, name) or [])
        else:
            self.fields["procedure_code"].required = True

    def _lines(self, name: str) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data.get(name, "").splitlines() if line.strip()
        ]

    def clean_implementing_agency_names(self) -> list[str]:
        return self._lines("implementing_agency_names")

    def clean_applying_agency_names(self) -> list[str]:
        return self._lines("applying_agency_names")


class ChildForm(forms.ModelForm):
    """An inline row of a version, convertible to an item of the exchange format."""

    def row(self) -> dict[str, Any]:
        """Return this row in the exchange format."""
        data = dict(self.cleaned_data)
        for name in ("id", "version", "DELETE", "case", "template", "position"):
            data.pop(name, None)
        if "agency" in data:
            agency = data.pop("agency")
            data["agency_code"] = agency.code if agency else ""
        if "file" in data:
            upload = data.pop("file")
            # A new upload is stored on save (``ProcedureVersionAdmin.save_related``).
            if isinstance(upload, UploadedFile):
                data["file"] = UPLOAD_PLACEHOLDER + (upload.name or "")
            else:
                data["file"] = getattr(upload, "name", "") or ""
        return {
            k: ("" if v is None and k not in {"issued_on", "effective_on"} else v)
            for k, v in data.items()
        }


class CaseScopedForm(ChildForm):
    """A row that may belong to one case, named by code so that rows of a new version can
    refer to cases created in the same submission."""

    case_code = forms.CharField(
        label=_("mã trường hợp"),
        max_length=40,
        required=False,
        help_text=_("Để trống: áp dụng cho mọi trường hợp."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and getattr(self.instance, "case_id", None):
            self.initial["case_code"] = self.instance.case.code


class DocumentForm(CaseScopedForm):
    form_code = forms.CharField(
        label=_("ký hiệu mẫu"),
        max_length=60,
        required=False,
        help_text=_("Ký hiệu của mẫu đơn, tờ khai kèm theo."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and getattr(self.instance, "template_id", None):
            self.initial["form_code"] = self.instance.template.code


class VersionFormSet(BaseInlineFormSet):
    """An inline formset that knows its siblings, so the last one can validate them all."""

    data_list = ""  # the list of ProcedureData this inline edits ("cases", "steps"…)

    def __init__(
        self, *args: Any, catalog_context: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.catalog_context = catalog_context
        if catalog_context is not None:
            catalog_context.setdefault("formsets", []).append(self)

    def live_forms(self) -> list[Any]:
        """Return the rows that will exist after saving (not blank extras, not deleted)."""
        return [
            form
            for form in self.forms
            if (form.has_changed() or form.instance.pk)
            and not (self.can_delete and getattr(form, "cleaned_data", {}).get("DELETE"))
        ]

    def clean(self) -> None:
        super().clean()
        context = self.catalog_context
        if not context or context["formsets"][-1] is not self:
            return
        form = context.get("form")
        if form is None or any(fs.total_error_count() for fs in context["formsets"][:-1]):
            return  # the rows' own errors are shown first
        data, issues = build_procedure_data(form, context["formsets"])
        if data is not None and not issues and "check" in context:
            issues = context["check"](data)
        context["data"] = data
        if issues:
            _attach(issues, form, context["formsets"])
            raise forms.ValidationError(_("Thông tin thủ tục chưa hợp lệ; xem lỗi ở từng trường."))


def build_procedure_data(
    form: ProcedureVersionForm, formsets: list[VersionFormSet]
) -> tuple[ProcedureData | None, list[Issue]]:
    """Return the ``ProcedureData`` of a submitted change form, or the issues that stop it."""
    cleaned = form.cleaned_data
    field = cleaned.get("field")
    announcement = cleaned.get("announcement")
    payload: dict[str, Any] = {
        "code": cleaned.get("procedure_code") or form.instance.code,
        "name": cleaned.get("name", ""),
        "field_code": field.code if field else "",
        "field_name": field.name if field else "",
        "levels": cleaned.get("levels", []),
        "subjects": cleaned.get("subjects", []),
        "submission_methods": cleaned.get("submission_methods", []),
        "implementing_agency_codes": [a.code for a in cleaned.get("implementing_agencies", [])],
        "applying_agency_codes": [a.code for a in cleaned.get("applying_agencies", [])],
        "announcement": (
            {
                "number": announcement.number,
                "issuer": announcement.issuer,
                "decided_on": announcement.decided_on,
                "effective_on": announcement.effective_on,
            }
            if announcement
            else None
        ),
    }
    for name in (
        "method_note",
        "sequence",
        "requirements",
        "implementing_agency_names",
        "applying_agency_names",
        "result_is_document",
        "result_name",
        "online_level",
        "is_full_online_eligible",
        "is_online_only",
        "is_inter_agency",
        "is_free",
        "fee_code",
        "note",
    ):
        if name in cleaned:
            payload[name] = cleaned[name]
    for formset in formsets:
        payload[formset.data_list] = [f.row() for f in formset.live_forms()]
    try:
        data = ProcedureData.model_validate(payload)
    except ValidationError as exc:
        return None, issues_from_pydantic(exc.errors())
    return data, check_procedure_data(data)


def _attach(
    issues: list[Issue], form: ProcedureVersionForm, formsets: list[VersionFormSet]
) -> None:
    by_list = {fs.data_list: fs for fs in formsets}
    for issue in issues:
        head = str(issue.path[0]) if issue.path else ""
        if head in by_list and len(issue.path) >= 2 and isinstance(issue.path[1], int):
            rows = by_list[head].live_forms()
            column = str(issue.path[2]) if len(issue.path) > 2 else None
            target: forms.BaseForm = rows[issue.path[1]]
        else:
            target, column = (
                form,
                {"code": "procedure_code", "field_code": "field", "field_name": "field"}.get(
                    head, head
                ),
            )
            if head == "announcement":
                column = "announcement"
        if column not in target.fields:
            column = None
        target.add_error(column, issue.message)


class CatalogActionForm(ActionForm):
    """The changelist's action bar, with the decision abolishing the selected procedures."""

    decision_number = forms.CharField(
        label=_("Số quyết định bãi bỏ"), max_length=60, required=False
    )
    decided_on = forms.DateField(label=_("ngày ban hành"), required=False)
    effective_on = forms.DateField(label=_("ngày hiệu lực"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh mục"),
        help_text=_("JSON, XLSX hoặc ZIP các tệp CSV theo mẫu trao đổi danh mục thủ tục."),
    )
    partial = forms.BooleanField(
        label=_("Nhập các thủ tục hợp lệ dù tệp có dòng lỗi"), required=False
    )
    publish = forms.BooleanField(label=_("Công bố ngay các phiên bản được nhập"), required=False)
