"""The login form of officials: two required fields, the credentials are checked by the action."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = ["FORM_ERROR_ID", "LoginForm"]

FORM_ERROR_ID = "login-error"


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        strip=True,
        error_messages={"required": _("Vui lòng nhập tên đăng nhập.")},
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        error_messages={"required": _("Vui lòng nhập mật khẩu.")},
        widget=forms.PasswordInput(
            attrs={"class": "form-control", "autocomplete": "current-password"}
        ),
    )

    def mark_invalid(self) -> None:
        """Flag both fields as invalid, described by the form's error.

        For wrong credentials the user cannot tell which field is wrong, so both are.
        """
        for field in self.fields.values():
            field.widget.attrs.update(
                {
                    "class": "form-control is-invalid",
                    "aria-invalid": "true",
                    "aria-describedby": FORM_ERROR_ID,
                }
            )

    def full_clean(self) -> None:
        super().full_clean()
        # Django adds aria-invalid and aria-describedby; Bootstrap needs the class too.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "form-control is-invalid"
