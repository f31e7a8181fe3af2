"""The applicant's look-up of a fee order: the dossier code and the applicant's phone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.forms import BootstrapFormMixin

__all__ = ["PaymentLookupForm"]


class PaymentLookupForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Mã số hồ sơ"),
        max_length=60,
        help_text=_("In trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."),
        error_messages={"required": _("Phải nhập mã số hồ sơ.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại của người nộp hồ sơ"),
        max_length=20,
        help_text=_(
            "Số điện thoại ghi trên hồ sơ; chỉ người có hồ sơ mới xem được khoản phải nộp."
        ),
        error_messages={"required": _("Phải nhập số điện thoại.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()
