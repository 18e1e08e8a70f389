"""The case file's records on the staff pages: one page per kind, reached from the case page —
询问笔录 inquiries, 现场检查笔录 on-site inspections, 集体讨论记录 collective discussions, 听证笔录 the hearing.

Each page lists the case's records of that kind with their numbered PDFs and, to a user who may make one now
(the role of ``policy`` in the case's area, the case in the state the record is made in), the form. The form
checks what was typed; ``services/records.py`` checks the law and writes, numbers and audits; its refusals
come back on the form's fields. Outside the scope 404, without a case role 403 (as the case page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.casework.models import CaseAttachment
from zhenwu.enforcement import policy, selectors
from zhenwu.enforcement.choices import Procedure
from zhenwu.enforcement.forms_records import DiscussionForm, HearingForm, InquiryForm, InspectionForm
from zhenwu.enforcement.models import PenaltyCase
from zhenwu.enforcement.services import records
from zhenwu.enforcement.services.case_documents import document_url
from zhenwu.enforcement.views_staff import _get, _render
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _g


@dataclass(frozen=True)
class Kind:
    key: str
    title: Any
    role: str  # the policy action a user needs to make one
    states: tuple[str, ...]  # the case states it is made in
    when: Any  # when it can be made (shown when the form is not)


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("inquiries", _("Inquiry records (询问笔录)"), "case_act", records.RECORD_STATES,
         _("Made by an investigating officer while the case is under investigation.")),
    Kind("inspections", _("On-site inspection records (现场检查笔录)"), "case_act", records.RECORD_STATES,
         _("Made by an investigating officer while the case is under investigation.")),
    Kind("discussions", _("Collective discussion records (集体讨论记录)"), "approve", records.DISCUSSION_STATES,
         _("Recorded by a leader before the decision of a major case, while it is reviewed or noticed.")),
    Kind("hearings", _("Hearing records (听证笔录)"), "case_act", records.HEARING_STATES,
         _("Recorded by an officer while the hearing is held, or after it ended until the decision.")),
)}


def may_add(user: User, row: PenaltyCase, kind: str) -> bool:
    """True when ``user`` may make a record of ``kind`` on ``row`` now (role, scope, the case's state)."""
    k = KINDS[kind]
    open_now = (records.hearing_record_open(row) if kind == "hearings"
                else row.procedure == Procedure.GENERAL and row.case.status in k.states)
    return open_now and policy.may(user, k.role, area_code=row.case.area_code)


def record_links(user: User, row: PenaltyCase) -> list[dict[str, Any]]:
    """The case page's links to the record pages: each kind with its count and whether the user may add one."""
    if row.procedure != Procedure.GENERAL:
        return []
    counts = {"inquiries": row.inquiryrecords.count(), "inspections": row.inspectionrecords.count(),
              "discussions": row.discussions.count(), "hearings": row.hearingrecords.count()}
    return [{"key": k.key, "title": k.title, "count": counts[k.key], "can_add": may_add(user, row, k.key),
             "url": reverse("enforcement:case_records", kwargs={"number": row.case.number, "kind": k.key})}
            for k in KINDS.values()]


def _officer_choices(user: User, row: PenaltyCase) -> list[tuple[int, str]]:
    on = timezone.localdate()
    officers = selectors.officer_scope(user=user).order_by("user__full_name", "pk")
    return [(o.pk, f"{o.user.full_name or o.user.username}（{o.certificate_number}）"
             + ("" if o.certificate_valid_on(on) else f" · {_g('certificate not valid today')}")) for o in officers]


def _evidence_choices(row: PenaltyCase) -> list[tuple[str, str]]:
    links = CaseAttachment.objects.filter(case=row.case).select_related("attachment").order_by("uploaded_at", "pk")
    return [(link.attachment.sha256, f"{link.name} · {link.attachment.sha256[:12]}…") for link in links]


def _host_choices(row: PenaltyCase) -> list[tuple[int, str]]:
    """Staff of the case roles whose scope holds the case's area, the investigators left out (Art. 64)."""
    code = row.case.area_code
    prefixes = [code[:n] for n in range(1, len(code) + 1)]
    investigators = row.investigators.values_list("user_id", flat=True)
    staff = (User.objects.filter(kind=UserKind.STAFF, is_active=True, scope_area__code__in=prefixes)
             .exclude(pk__in=investigators).order_by("full_name", "username"))
    roles = {str(r) for r in policy.CASE_ROLES if r not in (Role.SUPERVISOR, Role.ADMIN)}
    return [(u.pk, u.full_name or u.username) for u in staff[:300] if u.roles & roles]


def _form(kind: str, user: User, row: PenaltyCase, data: Any = None) -> forms.Form:
    if kind == "inquiries":
        return InquiryForm(data, officers=_officer_choices(user, row), initial=_record_initial(user, row))
    if kind == "inspections":
        return InspectionForm(data, officers=_officer_choices(user, row), evidence=_evidence_choices(row),
                              initial=_record_initial(user, row))
    now = timezone.localtime().replace(second=0, microsecond=0)
    if kind == "discussions":
        return DiscussionForm(data, initial={"held_at": now, "chair": user.full_name or user.username})
    return HearingForm(data, hosts=_host_choices(row), initial={"held_at": now})


def _record_initial(user: User, row: PenaltyCase) -> dict[str, Any]:
    now = timezone.localtime().replace(second=0, microsecond=0)
    return {"started_at": now, "ended_at": now, "officers_signed_on": now.date(), "person_signed_on": now.date(),
            "person_role": "party", "person_name": row.party_name,
            "officers": list(row.investigators.values_list("pk", flat=True))}


def _save(kind: str, user: User, number: str, form: Any) -> Any:
    if kind == "inquiries":
        return records.inquiry_add(actor=user, number=number, data=form.record_input())
    if kind == "inspections":
        return records.inspection_add(actor=user, number=number, data=form.record_input())
    if kind == "discussions":
        return records.discussion_add(actor=user, number=number, data=form.discussion_input())
    return records.hearing_add(actor=user, number=number, data=form.hearing_input())


def _put_back(form: forms.Form, exc: FieldError) -> None:
    """The service's refusal on the form: ``questions[0].q`` on ``questions``, the rest above the form."""
    for field, message in exc.errors:
        name = (field or "").removeprefix("fields.").split("[")[0].split(".")[0]
        form.add_error(name if name in form.fields else None, str(message))


def _summary(record: Any) -> str:
    """The first question of an inquiry, the findings of an inspection."""
    questions = getattr(record, "questions", None)
    return str(questions[0].get("q", "")) if questions else str(getattr(record, "findings", ""))


def _rows(row: PenaltyCase, kind: str) -> list[dict[str, Any]]:
    def local(moment: Any) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")

    out = []
    if kind in ("inquiries", "inspections"):
        qs = (row.inquiryrecords if kind == "inquiries" else row.inspectionrecords).select_related("document")
        for r in qs.prefetch_related("officers__user"):
            out.append({"number": r.document.number, "url": document_url(row, r.document), "when": local(r.started_at),
                        "place": r.place, "who": f"{r.person_name}（{r.get_person_role_display()}）",
                        "officers": "、".join(str(o) for o in r.officers.all()),
                        "summary": _summary(r)})
    elif kind == "discussions":
        for d in row.discussions.select_related("document"):
            out.append({"number": d.document.number, "url": document_url(row, d.document), "when": local(d.held_at),
                        "place": d.place, "who": d.chair, "officers": "、".join(d.participants),
                        "summary": d.conclusion})
    else:
        for h in row.hearingrecords.select_related("document"):
            out.append({"number": h.document.number, "url": document_url(row, h.document), "when": local(h.held_at),
                        "place": h.place, "who": h.host_name, "officers": "、".join(h.participants),
                        "summary": h.conclusion})
    return out


@login_required
def case_records(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """One kind of record of a case: the list with the PDFs, and the form to whom may make one now."""
    if kind not in KINDS:
        raise Http404
    user, row = _get(request, number)
    allowed = may_add(user, row, kind)
    form = _form(kind, user, row)
    error, status = "", 200
    if request.method == "POST":
        form = _form(kind, user, row, request.POST)
        if not allowed:
            error, status = _g("This record cannot be made by you in the case's current state."), 403
        elif not form.is_valid():
            status = 400
        else:
            try:
                record = _save(kind, user, number, form)
            except FieldError as exc:  # Forbidden, NotFound too: the form again with the message
                _put_back(form, exc)
                status = exc.status
            else:
                messages.success(request, _g("Recorded: %(number)s.") % {"number": record.document.number})
                return redirect("enforcement:case_records", number=number, kind=kind)
    row = selectors.case_get(user=user, number=number)  # re-read: a refused record left nothing
    k = KINDS[kind]
    return _render(request, "enforcement/staff/records.html", {
        "row": row, "case": row.case, "kind": k, "rows": _rows(row, kind), "form": form if allowed else None,
        "error": error, "general": row.procedure == Procedure.GENERAL,
        "others": [x for x in record_links(user, row) if x["key"] != kind]}, status=status)

