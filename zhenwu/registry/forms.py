"""Forms of the registry pages: they only carry the input; ``cleaning`` and the services decide.

Every field is optional at the form level, so that the messages come from the same rules the API
and the import use. On an edit form the personal fields (ID number, name, mobile) start empty with
the masked value as placeholder: left empty they stay as they are, so editing a record never shows
full personal data.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.areas.models import Area
from zhenwu.registry.choices import (
    CareTag,
    HouseholdKind,
    OperatingStatus,
    PlaceKind,
    Relation,
    ResidentStatus,
    RiskLevel,
)

# Personal fields an edit form leaves empty unless the user types a new value.
KEEP_IF_EMPTY = ("id_number", "name", "mobile", "legal_representative", "contact_name", "contact_mobile")


def _blank_first(choices: Any) -> list[tuple[str, Any]]:
    return [("", "---------"), *choices]


class RecordForm(forms.Form):
    """Common: the grid (a choice among the user's grids) and an optional location."""

    grid = forms.ChoiceField(label=_("grid"), required=False)
    lng = forms.FloatField(label=_("longitude"), required=False)
    lat = forms.FloatField(label=_("latitude"), required=False)

    def __init__(self, *args: Any, grids: list[Area] | None = None, masked: dict[str, str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grid_field = self.fields["grid"]
        assert isinstance(grid_field, forms.ChoiceField)
        grid_field.choices = _blank_first([(g.code, f"{g.name}（{g.code}）") for g in grids or []])
        grid_field.widget.attrs["data-search"] = _("Type a grid's name or code")  # select-search.js
        for name, shown in (masked or {}).items():
            if name in self.fields and shown:
                self.fields[name].widget.attrs["placeholder"] = shown
                self.fields[name].help_text = _("Leave empty to keep the current value.")

    def changes(self, *, editing: bool) -> dict[str, Any]:
        """The input for the service: on an edit, empty personal fields are left out (unchanged)."""
        data = dict(self.cleaned_data)
        if editing:
            data = {k: v for k, v in data.items() if not (k in KEEP_IF_EMPTY and v in ("", None))}
        return data


class ResidentForm(RecordForm):
    id_number = forms.CharField(label=_("ID number"), max_length=24, required=False)  # room for spaces
    name = forms.CharField(label=_("name"), max_length=50, required=False)
    mobile = forms.CharField(label=_("mobile"), max_length=20, required=False)
    household = forms.CharField(label=_("household number"), max_length=32, required=False)
    relation = forms.ChoiceField(label=_("relation to head"), choices=_blank_first(Relation.choices), required=False)
    status = forms.ChoiceField(label=_("residence status"), choices=_blank_first(ResidentStatus.choices),
                               required=False)
    arrival_date = forms.DateField(label=_("arrival date"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    origin = forms.CharField(label=_("place of origin"), max_length=100, required=False)
    tags = forms.MultipleChoiceField(label=_("care groups"), choices=CareTag.choices, required=False,
                                     widget=forms.CheckboxSelectMultiple)
    field_order = ["id_number", "name", "mobile", "status", "grid", "household", "relation", "arrival_date",
                   "origin", "tags", "lng", "lat"]


class HouseholdForm(RecordForm):
    number = forms.CharField(label=_("household number"), max_length=32, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("household type"), choices=_blank_first(HouseholdKind.choices), required=False)
    field_order = ["number", "address", "kind", "grid", "lng", "lat"]


class EnterpriseForm(RecordForm):
    uscc = forms.CharField(label=_("unified social credit code"), max_length=18, required=False)
    name = forms.CharField(label=_("name"), max_length=200, required=False)
    legal_representative = forms.CharField(label=_("legal representative"), max_length=50, required=False)
    industry = forms.CharField(label=_("industry"), max_length=100, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    operating_status = forms.ChoiceField(label=_("operating status"), choices=OperatingStatus.choices, required=False)
    risk_level = forms.ChoiceField(label=_("risk level"), choices=RiskLevel.choices, required=False)
    abnormal_listed = forms.BooleanField(label=_("listed for abnormal operation"), required=False)
    complaint_count = forms.IntegerField(label=_("complaints"), min_value=0, required=False)
    mobile = forms.CharField(label=_("contact mobile"), max_length=20, required=False)
    field_order = ["uscc", "name", "legal_representative", "industry", "address", "grid", "operating_status",
                   "risk_level", "abnormal_listed", "complaint_count", "mobile", "lng", "lat"]


class PlaceForm(RecordForm):
    kind = forms.ChoiceField(label=_("kind"), choices=_blank_first(PlaceKind.choices), required=False)
    name = forms.CharField(label=_("name"), max_length=200, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    enterprise = forms.CharField(label=_("enterprise (USCC)"), max_length=18, required=False)
    contact_name = forms.CharField(label=_("contact"), max_length=50, required=False)
    contact_mobile = forms.CharField(label=_("contact mobile"), max_length=20, required=False)
    field_order = ["kind", "name", "address", "grid", "enterprise", "contact_name", "contact_mobile", "lng", "lat"]


class CameraForm(RecordForm):
    code = forms.CharField(label=_("camera code"), max_length=32, required=False)
    name = forms.CharField(label=_("name"), max_length=200, required=False)
    source_system = forms.CharField(label=_("source system"), max_length=100, required=False)
    stream_url = forms.CharField(label=_("stream URL"), max_length=500, required=False)
    field_order = ["code", "name", "source_system", "stream_url", "grid", "lng", "lat"]
