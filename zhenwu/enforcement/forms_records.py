"""The forms of the case file's records on the staff pages: 询问笔录, 现场检查笔录, 集体讨论记录, 听证笔录.

They check the shape of what was typed (dates, required text, choices) and turn it into the services' inputs;
the law's rules (two certified officers, signatures, the host who did not investigate…) stay in
``services/records.py``, whose refusals the view puts back on the form's fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.enforcement.choices import PersonRole
from zhenwu.enforcement.services.records import DiscussionInput, HearingInput, RecordInput

MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
MOMENT = {"invalid": _("Enter a date and time as YYYY-MM-DDTHH:MM.")}
DAY = {"invalid": _("Enter a date as YYYY-MM-DD.")}
Q_MARKS = ("问：", "问:", "Q:", "Q：")
A_MARKS = ("答：", "答:", "A:", "A：")


def _moment(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, input_formats=MOMENT_FORMATS, error_messages=MOMENT,
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))


def _day(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, error_messages=DAY,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _text(label: Any, max_length: int = 200, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required)


def _long(label: Any, rows: int = 4) -> forms.CharField:
    return forms.CharField(label=label, max_length=20_000, widget=forms.Textarea(attrs={"rows": rows}))


def _names(value: str) -> list[str]:
    """Names one a line, or separated by 、 , ，"""
    for sep in ("、", "，", ","):
        value = value.replace(sep, "\n")
    return [n.strip() for n in value.splitlines() if n.strip()]


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""


class _RecordForm(forms.Form):
    """What an inquiry and an on-site inspection record share."""

    started_at = _moment(_("Started at"))
    ended_at = _moment(_("Ended at"))
    place = _text(_("Place"))
    person_name = _text(_("Person"), 100)
    person_role = forms.ChoiceField(label=_("Person's role"), choices=PersonRole.choices)
    person_id_number = _text(_("ID number"), 18, required=False)
    officers = forms.TypedMultipleChoiceField(label=_("Officers present"), coerce=int,
                                              widget=forms.CheckboxSelectMultiple)
    officers_signed_on = _day(_("Signed by the officers on"))
    person_signed_on = _day(_("Signed by the person on"), required=False)
    refusal_note = _text(_("Why the person did not sign"), 200, required=False)

    def __init__(self, *args: Any, officers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"].choices = officers  # type: ignore[attr-defined]

    def record_input(self) -> RecordInput:
        d = self.cleaned_data
        return RecordInput(started_at=_iso(d["started_at"]), ended_at=_iso(d["ended_at"]), place=d["place"],
                           person_name=d["person_name"], person_role=d["person_role"],
                           officers=list(d["officers"]), officers_signed_on=_iso(d["officers_signed_on"]),
                           person_id_number=d["person_id_number"],
                           person_signed_on=_iso(d["person_signed_on"]) or None, refusal_note=d["refusal_note"])


class InquiryForm(_RecordForm):
    questions = forms.CharField(label=_("Questions and answers"), max_length=20_000,
                                widget=forms.Textarea(attrs={"rows": 8}),
                                help_text=_("Each question on a line starting with 问：, its answer on the next line "
                                            "starting with 答：."))

    def clean_questions(self) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        for line in self.cleaned_data["questions"].splitlines():
            line = line.strip()
            if not line:
                continue
            q = next((line[len(m):] for m in Q_MARKS if line.startswith(m)), None)
            a = next((line[len(m):] for m in A_MARKS if line.startswith(m)), None)
            if q is not None:
                out.append({"q": q.strip(), "a": ""})
            elif out and a is not None:
                out[-1]["a"] = (out[-1]["a"] + "\n" + a.strip()).strip()
            elif out:
                out[-1]["a" if out[-1]["a"] else "q"] += "\n" + line
            else:
                raise forms.ValidationError(_("Start with a question: a line beginning with 问：."))
        if not out or any(not qa["q"] for qa in out):
            raise forms.ValidationError(_("Record at least one question and its answer."))
        return out

    def record_input(self) -> RecordInput:
        data = super().record_input()
        data.questions = self.cleaned_data["questions"]
        return data


class InspectionForm(_RecordForm):
    findings = _long(_("On-site findings"), 6)
    evidence = forms.MultipleChoiceField(label=_("Evidence taken there"), required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, evidence: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = evidence  # type: ignore[attr-defined]

    def record_input(self) -> RecordInput:
        data = super().record_input()
        data.findings, data.evidence = self.cleaned_data["findings"], list(self.cleaned_data["evidence"])
        return data


class DiscussionForm(forms.Form):
    held_at = _moment(_("Held at"))
    place = _text(_("Place"))
    chair = _text(_("Chair"), 100)
    participants = forms.CharField(label=_("Members present"), max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("One name a line, or separated by 、"))
    opinions = _long(_("Opinions"))
    conclusion = _long(_("Conclusion"), 3)

    def discussion_input(self) -> DiscussionInput:
        d = self.cleaned_data
        return DiscussionInput(held_at=_iso(d["held_at"]), place=d["place"], chair=d["chair"],
                               participants=_names(d["participants"]), opinions=d["opinions"],
                               conclusion=d["conclusion"])


class HearingForm(forms.Form):
    held_at = _moment(_("Held at"))
    place = _text(_("Place"))
    host = forms.TypedChoiceField(label=_("Hearing host"), coerce=int,
                                  help_text=_("A staff member who did not investigate the case."))
    participants = forms.CharField(label=_("Participants"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("The party or their agents, the investigators, the clerk: one name a "
                                               "line, or separated by 、"))
    investigators_case = _long(_("The investigators' facts, evidence and proposed penalty"))
    party_statement = _long(_("The party's statements and defence"))
    conclusion = _long(_("Conclusion"), 3)

    def __init__(self, *args: Any, hosts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].choices = [("", "—"), *hosts]  # type: ignore[attr-defined]

    def hearing_input(self) -> HearingInput:
        d = self.cleaned_data
        return HearingInput(held_at=_iso(d["held_at"]), place=d["place"], host=d["host"],
                            participants=_names(d["participants"]), party_statement=d["party_statement"],
                            investigators_case=d["investigators_case"], conclusion=d["conclusion"])
