"""Forms of the service-hall staff pages. They only carry the input: the services decide what is valid
(a FieldError lands on the form field it names), so most fields are optional here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.models import User
from zhenwu.services.choices import ApplicantKind, DeliveryMode
from zhenwu.services.models import Application, ServiceItem


def _choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


YES_NO = [("1", _("Approve")), ("0", _("Do not approve"))]


class ActionForm(forms.Form):
    """Base of every action form: the case version the clerk saw (409 when it moved meanwhile)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        self.application = application
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = application.case.version


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmedReasonForm(ReasonForm):
    """A destructive step (不予受理, 撤回): the clerk ticks a confirmation as well as pressing the button."""

    confirm = forms.BooleanField(label=_("I confirm; this cannot be undone."), required=True)


class SupplementForm(ActionForm):
    missing = forms.MultipleChoiceField(label=_("Missing materials"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, application=application, **kwargs)
        names = application.item_version.material_names()
        _choices(self, "missing", [(n, n) for n in names])


class SupplyForm(ActionForm):
    supplied = forms.MultipleChoiceField(label=_("Materials brought"), required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, application=application, **kwargs)
        _choices(self, "supplied", [(n, n) for n in application.supplement_missing])


class ReviewForm(ActionForm):
    approve = forms.ChoiceField(label=_("Opinion"), choices=YES_NO, initial="1", widget=forms.RadioSelect)
    opinion = forms.CharField(label=_("Review opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(ActionForm):
    """准予 (the primary button) or 不予许可 (a separate, confirmed button)."""

    approve = forms.ChoiceField(label=_("Decision"), choices=YES_NO, initial="1", widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("I confirm the denial; this cannot be undone."), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("approve") == "0" and not data.get("confirm"):
            self.add_error("confirm", _("Tick the confirmation to deny."))
        return data


class DeliverForm(ActionForm):
    mode = forms.ChoiceField(label=_("Delivery mode"), required=False)
    signature = forms.CharField(label=_("Pick-up signature"), required=False)
    tracking_number = forms.CharField(label=_("Tracking number"), required=False)
    result_file = forms.FileField(label=_("Electronic result"), required=False)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, application=application, **kwargs)
        _choices(self, "mode", [(m, DeliveryMode(m).label) for m in application.item_version.delivery])


class ReassignForm(ActionForm):
    handler = forms.ModelChoiceField(label=_("New handler"), queryset=User.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason"), required=False)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, application=application, **kwargs)
        # Candidates: staff in scope holding the role of the case's current step (as the service requires).
        from zhenwu.services.selectors import handler_candidates

        field = self.fields["handler"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = handler_candidates(application=application)


class NewApplicationForm(forms.Form):
    """受理登记 at the window or the village service station."""

    item_code = forms.ChoiceField(label=_("Service item"))
    channel = forms.ChoiceField(label=_("Channel"), widget=forms.HiddenInput)
    applicant_kind = forms.ChoiceField(label=_("Applicant kind"), choices=ApplicantKind.choices,
                                       initial=ApplicantKind.PERSON, widget=forms.RadioSelect)
    applicant_name = forms.CharField(label=_("Applicant name"), max_length=200, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    mobile = forms.CharField(label=_("Mobile"), max_length=11, required=False)
    materials = forms.MultipleChoiceField(label=_("Materials provided"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    consent_by = forms.CharField(label=_("Consent given by"), max_length=100, required=False)
    consent_method = forms.CharField(label=_("Consent method"), max_length=100, required=False)
    consent_at = forms.DateTimeField(label=_("Consent given at"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args: Any, items: list[ServiceItem], channel: str, item: ServiceItem | None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "item_code", [("", "—")] + [(i.code, f"{i.code} {i.name}") for i in items])
        _choices(self, "channel", [(channel, channel)])
        self.fields["channel"].initial = channel
        version = item.current_version if item else None
        self.material_rows = list(version.materials) if version else []
        _choices(self, "materials", [(m["name"], m["name"]) for m in self.material_rows])
