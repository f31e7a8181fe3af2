"""Web forms of the citizen portal: one thing per page, each a small form.

Forms check only what a person fixes in the form itself (a choice not made, a file not
chosen); the rules (file types and sizes, whose data-store item, what the procedure
asks) are the actions' and come back as ``ApplicationError`` field errors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureCase
from motcua.documents.models import DataStoreItem
from motcua.dossiers.enums import DeliveryChannel, Satisfaction
from motcua.dossiers.forms import BootstrapFormMixin
from motcua.dossiers.models import DossierDocument

__all__ = [
    "CRITERIA",
    "CaseForm",
    "ConfirmForm",
    "DocumentForm",
    "EForm",
    "RatingForm",
    "SupplementForm",
    "WithdrawForm",
    "item_label",
]

UPLOAD = "upload"


def item_label(item: DataStoreItem) -> str:
    """Return how a data-store item is named in a choice: title, issuer, date."""
    return _("%(title)s — %(issuer)s, ngày %(date)s") % {
        "title": item.title,
        "issuer": item.issuer_name,
        "date": f"{item.issued_at:%d/%m/%Y}",
    }


class PortalForm(BootstrapFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class CaseForm(PortalForm):
    case_code = forms.ChoiceField(label=_("Trường hợp của bạn"), widget=forms.RadioSelect)
    agency_id = forms.TypedChoiceField(
        label=_("Cơ quan giải quyết hồ sơ"),
        widget=forms.RadioSelect,
        coerce=int,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        cases: list[ProcedureCase],
        agencies: list[Agency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_code"].choices = [  # type: ignore[attr-defined]
            (case.code, f"{case.name} ({case.time_limit_display})") for case in cases
        ]
        if agencies:
            self.fields["agency_id"].choices = [(a.pk, a.name) for a in agencies]  # type: ignore[attr-defined]
            self.fields["agency_id"].required = True
        else:
            del self.fields["agency_id"]


class EForm(PortalForm):
    request = forms.CharField(
        label=_("Nội dung đề nghị"),
        help_text=_("Ghi rõ bạn đề nghị cơ quan giải quyết việc gì."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    phone = forms.CharField(
        label=_("Số điện thoại liên hệ"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    return_channel = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"),
        widget=forms.RadioSelect,
        choices=[
            (DeliveryChannel.ONLINE.value, _("Nhận kết quả điện tử trên cổng (kho dữ liệu)")),
            (DeliveryChannel.DESK.value, _("Nhận trực tiếp tại bộ phận một cửa")),
            (DeliveryChannel.POST.value, _("Nhận qua dịch vụ bưu chính công ích")),
        ],
    )


class DocumentForm(PortalForm):
    """One required document: upload a file, or use an item of the data store."""

    source = forms.ChoiceField(label=_("Cách nộp giấy tờ"), widget=forms.RadioSelect)
    file = forms.FileField(label=_("Chọn tệp"), required=False)

    def __init__(self, *args: Any, offers: list[DataStoreItem], help_text: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [  # type: ignore[attr-defined]
            *(
                (
                    f"item:{item.pk}",
                    _("Dùng giấy tờ trong kho dữ liệu: %(item)s") % {"item": item_label(item)},
                )
                for item in offers
            ),
            (UPLOAD, _("Tải lên tệp mới")),
        ]
        self.fields["file"].help_text = help_text
        if not offers:
            self.fields["source"].widget = forms.HiddenInput()
            self.fields["source"].initial = UPLOAD

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("source") == UPLOAD and not cleaned.get("file"):
            self.add_error("file", _("Vui lòng chọn tệp để tải lên."))
        return cleaned

    @property
    def item_id(self) -> int | None:
        """The data-store item chosen, unless a file was chosen (the file wins)."""
        source = str(self.cleaned_data.get("source", ""))
        if self.cleaned_data.get("file") or not source.startswith("item:"):
            return None
        return int(source.split(":", 1)[1])


class ConfirmForm(PortalForm):
    declaration = forms.BooleanField(
        label=_(
            "Tôi cam đoan những thông tin đã khai là đúng sự thật và chịu trách nhiệm trước "
            "pháp luật về nội dung cam đoan."
        ),
        error_messages={"required": _("Vui lòng xác nhận lời cam đoan trước khi nộp hồ sơ.")},
    )


class WithdrawForm(PortalForm):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Vui lòng nêu lý do rút hồ sơ.")},
    )


# The nine criteria of §11.1, in order (short labels; the full text is the help).
CRITERIA = [
    _("Tổng thời gian giải quyết thủ tục hành chính so với quy định của pháp luật"),
    _("Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết (kể cả đơn vị phối hợp)"),
    _("Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ (kể cả trực tuyến)"),
    _("Số lượng cơ quan, đơn vị, tổ chức phải liên hệ để hoàn thiện hồ sơ (kể cả trực tuyến)"),
    _("Thực hiện tổ chức tiếp nhận hồ sơ, giải quyết, trả kết quả tại Bộ phận Một cửa"),
    _("Công khai các thủ tục hành chính"),
    _("Thái độ của cán bộ, công chức, viên chức khi hướng dẫn, tiếp nhận, giải quyết hồ sơ"),
    _("Tiếp thu, giải trình đối với ý kiến phản ánh, kiến nghị"),
    _("Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến của cơ quan có thẩm quyền"),
]
_SCORES = [
    ("2", _("2 điểm — tốt hơn quy định")),
    ("1", _("1 điểm — đúng quy định")),
    ("0", _("0 điểm — chưa đạt")),
]


class RatingForm(PortalForm):
    satisfaction = forms.ChoiceField(
        label=_("Mức độ hài lòng chung"),
        widget=forms.RadioSelect,
        choices=Satisfaction.choices,
        error_messages={"required": _("Vui lòng chọn mức độ hài lòng.")},
    )
    comment = forms.CharField(
        label=_("Ý kiến khác (nếu có)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, label in enumerate(CRITERIA, start=1):
            self.fields[f"criterion_{index}"] = forms.TypedChoiceField(
                label=_("Tiêu chí %(n)s: %(label)s") % {"n": index, "label": label},
                widget=forms.RadioSelect,
                choices=_SCORES,
                coerce=int,
                error_messages={"required": _("Vui lòng chấm điểm tiêu chí này.")},
            )
        self.order_fields([f"criterion_{i}" for i in range(1, 10)] + ["satisfaction", "comment"])

    @property
    def criteria(self) -> list[int]:
        return [int(self.cleaned_data[f"criterion_{i}"]) for i in range(1, 10)]

    def criterion_fields(self) -> list[Any]:
        return [self[f"criterion_{i}"] for i in range(1, 10)]


class SupplementForm(PortalForm):
    """The answer to a supplement request: per requested document an upload or a store
    item; an extra file for what the request names only in words; a note."""

    extra = forms.FileField(label=_("Giấy tờ bổ sung khác (nếu có)"), required=False)
    note = forms.CharField(
        label=_("Ghi chú gửi cơ quan (nếu có)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        documents: list[tuple[DossierDocument, list[DataStoreItem]]],
        help_text: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.documents = documents
        for document, offers in documents:
            prefix = f"doc_{document.pk}"
            self.fields[f"{prefix}_source"] = forms.ChoiceField(
                label=_("Cách nộp: %(name)s") % {"name": document.name},
                widget=forms.RadioSelect if offers else forms.HiddenInput,
                choices=[
                    *(
                        (
                            f"item:{i.pk}",
                            _("Dùng giấy tờ trong kho dữ liệu: %(item)s") % {"item": item_label(i)},
                        )
                        for i in offers
                    ),
                    (UPLOAD, _("Tải lên tệp mới")),
                ],
                initial=f"item:{offers[0].pk}" if offers else UPLOAD,
            )
            self.fields[f"{prefix}_file"] = forms.FileField(
                label=_("Tệp: %(name)s") % {"name": document.name},
                required=False,
                help_text=help_text,
            )
        self.fields["extra"].help_text = help_text
        self.order_fields([*(n for n in self.fields if n.startswith("doc_")), "extra", "note"])
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for document, _offers in self.documents:
            prefix = f"doc_{document.pk}"
            if cleaned.get(f"{prefix}_source") == UPLOAD and not cleaned.get(f"{prefix}_file"):
                self.add_error(f"{prefix}_file", _("Vui lòng chọn tệp để tải lên."))
        return cleaned

    def rows(self) -> list[tuple[DossierDocument, Any, Any]]:
        return [
            (document, self[f"doc_{document.pk}_source"], self[f"doc_{document.pk}_file"])
            for document, _offers in self.documents
        ]

    def choice_of(self, document: DossierDocument) -> tuple[Any, int | None]:
        """Return (uploaded file or None, data-store item id or None) for ``document``.

        A file chosen wins over the radio button: whoever picks a file means to send it.
        """
        uploaded = self.cleaned_data.get(f"doc_{document.pk}_file")
        source = str(self.cleaned_data.get(f"doc_{document.pk}_source", ""))
        if uploaded is None and source.startswith("item:"):
            return None, int(source.split(":", 1)[1])
        return uploaded, None
