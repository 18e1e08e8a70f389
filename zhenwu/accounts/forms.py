"""Forms of the login pages and the tokens page; services decide, forms only carry the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.services import password_login
from zhenwu.errors import FieldError


def as_form_error(form: forms.Form, exc: FieldError) -> None:
    """Attach a service's FieldError to the form, on the field it names when the form has it."""
    for field, message in exc.errors:
        form.add_error(field if field in form.fields else None, str(message))


class PasswordLoginForm(AuthenticationForm):
    """Username (or a citizen's mobile) and password, checked under the lockout policy."""

    username = forms.CharField(label=_("Username or mobile number"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            try:
                self.user_cache = password_login(request=self.request, username=username, password=password)
            except FieldError as exc:
                raise ValidationError([str(m) for _f, m in exc.errors], code="login") from exc
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class OtpLoginForm(forms.Form):
    """Step 1: the mobile number; step 2: the code received by SMS."""

    mobile = forms.CharField(label=_("Mobile number"), max_length=20,
                             widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    code = forms.CharField(label=_("One-time code"), max_length=6, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                         "inputmode": "numeric"}))


class TokenCreateForm(forms.Form):
    device = forms.CharField(label=_("Device name"), max_length=100,
                             help_text=_("For example: grid phone, office PC, kiosk 3."))


class SecondFactorForm(forms.Form):
    """The administrator's SMS code after a correct password."""

    code = forms.CharField(label=_("One-time code"), max_length=6,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "autofocus": True}))
