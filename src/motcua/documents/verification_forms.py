"""Django forms of the public verification page: a result code, or a PDF to check."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.documents import uploads

__all__ = ["ResultCodeForm", "ResultFileForm"]


class ResultCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã kết quả"),
        max_length=80,
        help_text=_("In trên văn bản, dạng <mã hồ sơ>-KQ<n>, ví dụ G09.20-250701-0001-KQ1."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


class ResultFileForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp PDF kết quả"),
        help_text=_("Tệp bạn nhận được; tệp chỉ dùng để đối chiếu và không được lưu lại."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self) -> bytes:
        """Return the file's bytes; reject empty, oversized and non-PDF content."""
        upload = self.cleaned_data["file"]
        limit_mb = getattr(settings, "DOCUMENTS_MAX_FILE_MB", 20)
        if upload.size > float(limit_mb) * 1024 * 1024:
            raise forms.ValidationError(
                _("Tệp vượt quá dung lượng cho phép (%(limit)s MB)."), params={"limit": limit_mb}
            )
        data = upload.read()
        if not data:
            raise forms.ValidationError(_("Tệp rỗng (0 byte)."))
        if uploads.detect_kind(data[:4096], data[-4096:]) is not uploads.KINDS["pdf"]:
            raise forms.ValidationError(_("Tệp không phải là tệp PDF."))
        return bytes(data)
