"""Web forms of the dossier screens: counter reception, worklist filters, public tracking.

Forms only check what a person can fix in the form itself (a field left empty, a number
of the wrong length) and turn the input into the plain values of
``dossiers.actions.inputs``; the rules of the law (identification structure, required
documents, competence) are the actions' and come back as ``ApplicationError`` field
errors, which ``BootstrapFormMixin.add_application_error`` puts on the right field.
The action panel's small forms live with their handlers in ``views.panel``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureDocument
from motcua.dossiers.actions import (
    ApplicantData,
    ProvidedDocument,
    Submission,
    SubmitterData,
    SupplementItem,
)
from motcua.dossiers.enums import (
    ApplicantKind,
    DeliveryChannel,
    DigitisationExemption,
    IdType,
    SubmissionChannel,
    SubmitterKind,
)
from motcua.dossiers.states import DossierState
from motcua.kernel.errors import ApplicationError

__all__ = [
    "BootstrapFormMixin",
    "CopyType",
    "DocumentRow",
    "ReceptionForm",
    "TrackingForm",
    "WorklistFilterForm",
]

_DIGITS = re.compile(r"^\d+$")


class BootstrapFormMixin:
    """Give widgets Bootstrap classes and mark fields with errors ``is-invalid``.

    Django already renders ``aria-invalid`` and links the error and help texts with
    ``aria-describedby`` (ids ``<id>_error`` and ``<id>_helptext``, which the
    templates reuse).
    """

    fields: dict[str, forms.Field]
    _errors: Any

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        names = [field] if field else []
        if isinstance(error, dict):
            names = list(error)
        for name in names:
            if name in self.fields:
                widget = self.fields[name].widget
                css = widget.attrs.get("class", "")
                if "is-invalid" not in css.split():
                    widget.attrs["class"] = (css + " is-invalid").strip()

    def add_application_error(
        self, error: ApplicationError, field_map: Mapping[str, str] | None = None
    ) -> None:
        """Put ``error``'s field errors on this form's fields and its message on top.

        ``field_map`` renames the action's field names (``applicant.name``) to this
        form's (``applicant_name``); a name neither mapped nor a field of the form
        goes to the form-wide errors, as does the error's message.
        """
        mapping = field_map or {}
        placed: set[str] = set()
        for key, messages in error.field_errors.items():
            name = mapping.get(key, key.replace(".", "_"))
            for message in messages:
                # A name the form does not have: the message still reaches the summary.
                self.add_error(name if name in self.fields else None, str(message))
                placed.add(str(message))
        if error.message not in placed:
            self.add_error(None, error.message)


class CopyType:
    """The kind of copy a document was handed in as (glossary ``CopyType``)."""

    ORIGINAL = "original"
    CERTIFIED = "certified"
    PHOTOCOPY = "photocopy"
    CHOICES = [
        (ORIGINAL, _("Bản chính")),
        (CERTIFIED, _("Bản sao chứng thực")),
        (PHOTOCOPY, _("Bản chụp")),
    ]


@dataclass(frozen=True)
class DocumentRow:
    """One line of the reception checklist: the catalogue document and its fields."""

    document: ProcedureDocument
    provided: BoundField
    copy_type: BoundField
    quantity: BoundField
    file: BoundField | None
    exemption: BoundField | None
    reason: BoundField

    @property
    def has_errors(self) -> bool:
        fields = (self.provided, self.copy_type, self.quantity, self.file, self.exemption)
        return any(f is not None and f.errors for f in (*fields, self.reason))


def _default_copy(document: ProcedureDocument) -> tuple[str, int]:
    if document.originals:
        return CopyType.ORIGINAL, document.originals
    if document.certified_copies:
        return CopyType.CERTIFIED, document.certified_copies
    if document.photocopies:
        return CopyType.PHOTOCOPY, document.photocopies
    return CopyType.ORIGINAL, 1


_EXEMPTIONS = [
    ("", _("(có bản số hóa)")),
    *(
        (value, label)
        for value, label in DigitisationExemption.choices
        # Online submissions are exempt by themselves; a confidential document needs a
        # note, recorded from the dossier page.
        if value not in (DigitisationExemption.SUBMITTED_ONLINE, DigitisationExemption.CONFIDENTIAL)
    ),
]


class ReceptionForm(BootstrapFormMixin, forms.Form):
    """The counter's form: applicant, submitter, channels, the checklist, the decision."""

    RECEIVE, SUPPLEMENT, REFUSE = "receive", "supplement", "refuse"

    decision = forms.ChoiceField(
        choices=[(RECEIVE, RECEIVE), (SUPPLEMENT, SUPPLEMENT), (REFUSE, REFUSE)],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Chọn một quyết định: tiếp nhận, yêu cầu bổ sung hoặc từ chối.")
        },
    )
    applicant_kind = forms.ChoiceField(
        label=_("Người yêu cầu là"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(
        label=_("Họ và tên (tên tổ chức)"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Phải nhập họ tên (tên tổ chức) người yêu cầu.")},
    )
    applicant_id_type = forms.ChoiceField(
        label=_("Loại giấy tờ tùy thân"), choices=IdType.choices, initial=IdType.PERSONAL_ID12
    )
    applicant_id_number = forms.CharField(
        label=_("Số định danh, số giấy tờ"),
        max_length=20,
        help_text=_(
            "12 số định danh cá nhân, 9 số chứng minh nhân dân cũ, hoặc 10 số mã số doanh nghiệp."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Phải nhập số định danh hoặc số giấy tờ.")},
    )
    applicant_birth_year = forms.IntegerField(
        label=_("Năm sinh"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Không bắt buộc; nếu nhập, phải khớp với năm sinh mã hóa trong số định danh."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        help_text=_("Dùng để tra cứu hồ sơ và nhận thông báo."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    submitter_kind = forms.ChoiceField(
        label=_("Người nộp là"),
        choices=SubmitterKind.choices,
        initial=SubmitterKind.SELF,
        widget=forms.RadioSelect,
    )
    submitter_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=255, required=False)
    submitter_id_number = forms.CharField(
        label=_("Số định danh người nộp"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    submitter_phone = forms.CharField(
        label=_("Số điện thoại người nộp"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    authorisation_note = forms.CharField(
        label=_("Văn bản ủy quyền"),
        max_length=500,
        required=False,
        help_text=_("Số, ngày, nơi chứng thực văn bản ủy quyền (bắt buộc khi nộp theo ủy quyền)."),
    )
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[
            (SubmissionChannel.DIRECT.value, SubmissionChannel.DIRECT.label),
            (SubmissionChannel.POSTAL_PUBLIC.value, SubmissionChannel.POSTAL_PUBLIC.label),
        ],
        initial=SubmissionChannel.DIRECT,
    )
    return_channel = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"),
        choices=DeliveryChannel.choices,
        initial=DeliveryChannel.DESK,
    )
    competent_agency = forms.TypedChoiceField(
        label=_("Cơ quan có thẩm quyền giải quyết"), coerce=int, required=False, empty_value=None
    )
    supplement_text = forms.CharField(
        label=_("Nội dung khác cần bổ sung"), max_length=1000, required=False
    )
    supplement_reason = forms.CharField(label=_("Lý do"), max_length=1000, required=False)
    refuse_reason = forms.CharField(
        label=_("Lý do từ chối tiếp nhận"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Bắt buộc khi từ chối: nêu rõ lý do (không thuộc thẩm quyền, không đủ điều kiện…)."
        ),
    )

    # The action's field names → this form's.
    FIELD_MAP = {
        "reason": "refuse_reason",
        "competent_agency_id": "competent_agency",
        "submitter.authorisation_note": "authorisation_note",
    }

    def __init__(
        self,
        *args: Any,
        documents: Iterable[ProcedureDocument],
        agencies: Iterable[Agency] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.documents = list(documents)
        agencies = list(agencies)
        if agencies:
            self.fields["competent_agency"].choices = [(a.pk, a.name) for a in agencies]  # type: ignore[attr-defined]
            self.fields["competent_agency"].required = True
        else:
            del self.fields["competent_agency"]
        for document in self.documents:
            self._add_document_fields(document)
        self.style_widgets()

    def _add_document_fields(self, document: ProcedureDocument) -> None:
        prefix = f"doc_{document.pk}_"
        copy_type, quantity = _default_copy(document)
        # Labels name the document: the error summary lists them out of their row.
        name = {"name": document.name}
        self.fields[prefix + "provided"] = forms.BooleanField(
            label=_("Đã nộp “%(name)s”") % name, required=False, initial=False
        )
        self.fields[prefix + "copy_type"] = forms.ChoiceField(
            label=_("Loại bản của “%(name)s”") % name,
            choices=CopyType.CHOICES,
            initial=copy_type,
            required=False,
        )
        self.fields[prefix + "quantity"] = forms.IntegerField(
            label=_("Số bản của “%(name)s”") % name, min_value=1, max_value=50, initial=quantity,
            required=False,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )  # fmt: skip
        if not document.is_present_only:
            self.fields[prefix + "file"] = forms.FileField(
                label=_("Bản số hóa của “%(name)s”") % name, required=False
            )
            self.fields[prefix + "exemption"] = forms.ChoiceField(
                label=_("Lý do không phải số hóa “%(name)s”") % name,
                choices=_EXEMPTIONS,
                required=False,
            )
        self.fields[prefix + "reason"] = forms.CharField(
            label=_("Lý do yêu cầu bổ sung “%(name)s”") % name,
            max_length=1000,
            required=False,
        )

    # --- reading the form -----------------------------------------------------------

    def document_rows(self) -> list[DocumentRow]:
        rows = []
        for document in self.documents:
            prefix = f"doc_{document.pk}_"
            rows.append(
                DocumentRow(
                    document=document,
                    provided=self[prefix + "provided"],
                    copy_type=self[prefix + "copy_type"],
                    quantity=self[prefix + "quantity"],
                    file=self[prefix + "file"] if prefix + "file" in self.fields else None,
                    exemption=(
                        self[prefix + "exemption"] if prefix + "exemption" in self.fields else None
                    ),
                    reason=self[prefix + "reason"],
                )
            )
        return rows

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind, id_type = data.get("applicant_kind"), data.get("applicant_id_type")
        number = (data.get("applicant_id_number") or "").strip()
        if kind == ApplicantKind.ORGANISATION and id_type and id_type != IdType.ORGANISATION_CODE:
            self.add_error(
                "applicant_id_type", _("Tổ chức phải dùng mã số doanh nghiệp, mã số tổ chức.")
            )
        elif kind == ApplicantKind.PERSON and id_type == IdType.ORGANISATION_CODE:
            self.add_error(
                "applicant_id_type",
                _("Cá nhân phải dùng số định danh cá nhân hoặc số chứng minh nhân dân."),
            )
        elif (
            number
            and id_type == IdType.PERSONAL_ID12
            and (len(number) != 12 or not _DIGITS.match(number))
        ):
            self.add_error(
                "applicant_id_number", _("Số định danh cá nhân phải gồm đúng 12 chữ số.")
            )
        elif (
            number
            and id_type == IdType.LEGACY_ID9
            and (len(number) != 9 or not _DIGITS.match(number))
        ):
            self.add_error("applicant_id_number", _("Số chứng minh nhân dân gồm đúng 9 chữ số."))
        if (
            data.get("decision") == self.SUPPLEMENT
            and not self.errors
            and not self.supplement_lines()
        ):
            self.add_error(
                None,
                _(
                    "Yêu cầu bổ sung phải nêu ít nhất một giấy tờ cần bổ sung hoặc sửa đổi và lý do."
                ),
            )
        for document in self.documents:
            prefix = f"doc_{document.pk}_"
            upload = data.get(prefix + "file")
            if upload and not data.get(prefix + "provided"):
                self.add_error(
                    prefix + "provided", _("Đã tải bản số hóa: hãy đánh dấu giấy tờ này là đã nộp.")
                )
            if upload and data.get(prefix + "exemption"):
                self.add_error(
                    prefix + "exemption",
                    _("Đã có bản số hóa thì không chọn trường hợp không phải số hóa."),
                )
        return data

    def submission(self, *, procedure_code: str, case_code: str) -> Submission:
        """Return the ``Submission`` the action receives (call after ``is_valid()``)."""
        data = self.cleaned_data
        submitter_kind = data["submitter_kind"]
        is_self = submitter_kind == SubmitterKind.SELF
        return Submission(
            procedure_code=procedure_code,
            case_code=case_code,
            competent_agency_id=data.get("competent_agency"),
            channel=SubmissionChannel(data["channel"]),
            return_channel=DeliveryChannel(data["return_channel"]),
            applicant=ApplicantData(
                name=data["applicant_name"],
                id_number=data["applicant_id_number"].strip(),
                kind=ApplicantKind(data["applicant_kind"]),
                birth_year=data.get("applicant_birth_year"),
                phone=data.get("applicant_phone", ""),
                email=data.get("applicant_email", ""),
                address=data.get("applicant_address", ""),
            ),
            submitter=SubmitterData(
                kind=SubmitterKind(submitter_kind),
                name="" if is_self else data.get("submitter_name", ""),
                id_number="" if is_self else data.get("submitter_id_number", ""),
                phone="" if is_self else data.get("submitter_phone", ""),
                authorisation_note=(
                    data.get("authorisation_note", "")
                    if submitter_kind == SubmitterKind.AUTHORISED
                    else ""
                ),
            ),
            documents=tuple(self._provided()),
        )

    def _provided(self) -> Iterable[ProvidedDocument]:
        data = self.cleaned_data
        for document in self.documents:
            prefix = f"doc_{document.pk}_"
            if not data.get(prefix + "provided"):
                continue
            default_copy, default_quantity = _default_copy(document)
            copy_type = data.get(prefix + "copy_type") or default_copy
            quantity = data.get(prefix + "quantity") or default_quantity
            yield ProvidedDocument(
                procedure_document_id=document.pk,
                originals=quantity if copy_type == CopyType.ORIGINAL else 0,
                certified_copies=quantity if copy_type == CopyType.CERTIFIED else 0,
                photocopies=quantity if copy_type == CopyType.PHOTOCOPY else 0,
            )

    def uploads(self) -> dict[int, Any]:
        """Return the scanned files by catalogue document id."""
        return {
            document.pk: self.cleaned_data[f"doc_{document.pk}_file"]
            for document in self.documents
            if self.cleaned_data.get(f"doc_{document.pk}_file")
        }

    def exemptions(self) -> dict[int, str]:
        """Return the chosen digitisation exemptions by catalogue document id."""
        return {
            document.pk: self.cleaned_data[f"doc_{document.pk}_exemption"]
            for document in self.documents
            if self.cleaned_data.get(f"doc_{document.pk}_exemption")
            and self.cleaned_data.get(f"doc_{document.pk}_provided")
        }

    def supplement_lines(self) -> list[tuple[int | None, str, str]]:
        """Return ``(catalogue document id or None, text, reason)`` for Form 02.

        Every required document not provided is listed (reason "Chưa nộp" unless the
        officer wrote one), then every other document with a reason, then the free line.
        """
        data = getattr(self, "cleaned_data", {})
        lines: list[tuple[int | None, str, str]] = []
        for document in self.documents:
            prefix = f"doc_{document.pk}_"
            reason = (data.get(prefix + "reason") or "").strip()
            missing = document.is_mandatory and not data.get(prefix + "provided")
            if missing or reason:
                lines.append((document.pk, document.name, reason or str(_("Chưa nộp"))))
        text, reason = (
            (data.get("supplement_text") or "").strip(),
            (data.get("supplement_reason") or "").strip(),
        )
        if text or reason:
            lines.append((None, text or str(_("Nội dung khác")), reason or text))
        return lines

    def supplement_items(self, dossier_document_ids: Mapping[int, int]) -> list[SupplementItem]:
        """Return the supplement items, with the dossier's own document ids."""
        return [
            SupplementItem(
                text=text,
                reason=reason,
                document_id=dossier_document_ids.get(pk) if pk is not None else None,
            )
            for pk, text, reason in self.supplement_lines()
        ]


class WorklistFilterForm(BootstrapFormMixin, forms.Form):
    """The worklist's filters; an invalid value is dropped, never an error page."""

    DUE_CHOICES = [
        ("", _("Tất cả thời hạn")),
        ("soon", _("Sắp đến hạn")),
        ("overdue", _("Quá hạn")),
    ]

    q = forms.CharField(label=_("Mã hồ sơ"), max_length=60, required=False)
    due = forms.ChoiceField(label=_("Thời hạn"), choices=DUE_CHOICES, required=False)
    state = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Tất cả trạng thái")), *DossierState.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def value(self, name: str) -> str:
        self.is_valid()
        return str(getattr(self, "cleaned_data", {}).get(name) or "").strip()


class TrackingForm(BootstrapFormMixin, forms.Form):
    """Public tracking: the dossier code and something only the applicant knows."""

    code = forms.CharField(
        label=_("Mã số hồ sơ"),
        max_length=60,
        help_text=_("In trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."),
        error_messages={"required": _("Phải nhập mã số hồ sơ.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    verifier = forms.CharField(
        label=_("Số điện thoại hoặc 4 số cuối số định danh của người nộp"),
        max_length=20,
        help_text=_("Để bảo vệ thông tin, chỉ người có hồ sơ mới tra cứu được."),
        error_messages={"required": _("Phải nhập số điện thoại hoặc 4 số cuối số định danh.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()
