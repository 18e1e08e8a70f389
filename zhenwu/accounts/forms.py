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

    throttled = False  # the client's address made too many attempts: the page answers 429

    username = forms.CharField(label=_("Username or mobile number"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            try:
                self.user_cache = password_login(request=self.request, username=username, password=password)
            except FieldError as exc:
                self.throttled = exc.status == 429
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


class PasswordChangeForm(forms.Form):
    """The owner's current password (when there is one) and the new one, typed twice."""

    old_password = forms.CharField(label=_("Current password"), strip=False, required=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label=_("New password"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password_again = forms.CharField(label=_("New password again"), strip=False,
                                         widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args: Any, needs_old: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_old:
            del self.fields["old_password"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class RegistrationForm(forms.Form):
    """Self-registration: who, the mobile, an optional password; then the code sent to the mobile."""

    KINDS = [("citizen", _("Citizen (ID card)")), ("enterprise", _("Enterprise (unified social credit code)"))]
    kind = forms.ChoiceField(label=_("I register as"), choices=KINDS, initial="citizen", widget=forms.RadioSelect)
    number = forms.CharField(label=_("ID number or unified social credit code"), max_length=30)
    name = forms.CharField(label=_("Name (person or enterprise)"), max_length=100)
    mobile = forms.CharField(label=_("Mobile number"), max_length=20,
                             widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    password = forms.CharField(label=_("Password (optional: you can always log in with an SMS code)"),
                               required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True))
    code = forms.CharField(label=_("One-time code"), max_length=6, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))
