"""The notification preferences of a citizen account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.forms import BootstrapFormMixin

__all__ = ["PreferenceForm"]


class PreferenceForm(BootstrapFormMixin, forms.Form):
    email_enabled = forms.BooleanField(label=_("Nhận thông báo qua thư điện tử"), required=False)
    sms_enabled = forms.BooleanField(label=_("Nhận thông báo qua tin nhắn SMS"), required=False)
    language = forms.ChoiceField(
        label=_("Ngôn ngữ của thông báo"), choices=(), widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [(code, label) for code, label in settings.LANGUAGES]
        self.style_widgets()
