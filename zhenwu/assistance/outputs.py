"""Rows of files, needs and applications as the API and the pages show them (ID numbers masked on screen)."""

from __future__ import annotations

from typing import Any

from zhenwu.accounts.masking import mask_id_number
from zhenwu.accounts.models import User
from zhenwu.assistance import selectors
from zhenwu.assistance.choices import AssistanceStatus, Health, Schooling, WorkCapacity
from zhenwu.assistance.models import AssistanceApplication, AssistanceFile, Income, Need
from zhenwu.casework.process import state_label


def file_out(f: AssistanceFile) -> dict[str, Any]:
    h = f.household
    return {"id": f.pk, "household_id": h.pk, "household_number": h.number, "head_name": h.head.name if h.head else "",
            "address": h.address, "area_code": f.area_code, "status": f.status, "status_label": f.get_status_display(),
            "status_since": f.status_since, "next_review_on": f.next_review_on}


def need_out(n: Need) -> dict[str, Any]:
    return {"id": n.pk, "file_id": n.file_id, "household_number": n.file.household.number, "area_code": n.area_code,
            "member_id": n.member_id, "kind": n.kind, "kind_label": n.get_kind_display(),
            "description": n.description, "status": n.status, "status_label": n.get_status_display(),
            "found_on": n.found_on,
            "matches": [{"resource_id": m.resource_id, "resource_name": m.resource.name,
                         "resource_kind": m.resource.kind, "note": m.note, "matched_at": m.matched_at}
                        for m in n.matches.all()]}


def application_out(a: AssistanceApplication) -> dict[str, Any]:
    case = a.case
    return {"number": case.number, "kind": a.kind, "kind_label": a.get_kind_display(), "channel": a.channel,
            "channel_label": a.get_channel_display(),
            "status": case.status, "status_label": state_label(case.process, case.status),
            "applicant_name": a.applicant.name, "area_code": case.area_code, "amount": a.amount,
            "created_at": case.created_at, "due_at": case.deadline_due_at if case.deadline_live else None,
            "light": case.light if case.deadline_live else ""}


def income_out(i: Income) -> dict[str, Any]:
    return {"id": i.pk, "member_id": i.member_id, "source": i.source, "source_label": i.get_source_display(),
            "monthly_amount": i.monthly_amount, "origin": i.origin,
            "origin_label": i.get_origin_display(), "note": i.note}


def _label(choices: Any, value: str) -> str:
    """The Chinese label of a stored code (the code itself if it is no longer a choice)."""
    return str(dict(choices.choices).get(value, value)) if value else ""


def file_detail_out(f: AssistanceFile) -> dict[str, Any]:
    members = [{"resident_id": m.resident_id, "name": m.resident.name,
                "id_number": mask_id_number(m.resident.id_number),
                "relation": m.resident.get_relation_display(), "birth_date": m.resident.birth_date,
                "disability_grade": m.disability_grade, "work_capacity": m.work_capacity, "schooling": m.schooling,
                "health": m.health, "note": m.note, "work_capacity_label": _label(WorkCapacity, m.work_capacity),
                "schooling_label": _label(Schooling, m.schooling), "health_label": _label(Health, m.health)}
               for m in f.members.select_related("resident")]
    return {**file_out(f), "members": members,
            "incomes": [income_out(i) for i in f.incomes.all()],
            "assets": [{"id": a.pk, "kind": a.kind, "kind_label": a.get_kind_display(), "description": a.description,
                        "value": a.value} for a in f.assets.all()],
            "expenditures": [{"id": e.pk, "member_id": e.member_id, "kind": e.kind, "kind_label": e.get_kind_display(),
                              "year": e.year, "yearly_amount": e.yearly_amount, "evidence": e.evidence.sha256,
                              "description": e.description} for e in f.expenditures.select_related("evidence")],
            "needs": [need_out(n) for n in f.needs.select_related("file__household").prefetch_related(
                "matches__resource")],
            "history": [{"old": c.old, "new": c.new, "old_label": _label(AssistanceStatus, c.old),
                         "new_label": _label(AssistanceStatus, c.new), "on": c.on, "reason": c.reason}
                        for c in f.status_changes.all()],
            "applications": [application_out(a) for a in f.applications.select_related("case", "applicant")]}


def application_detail_out(user: User, a: AssistanceApplication) -> dict[str, Any]:
    return {**application_out(a), "file_id": a.file_id, "reason": a.reason, "hall_number": a.hall_number,
            "consent_method": a.consent_method, "consent_by": a.consent_by, "check_result": a.check_result,
            "survey": a.survey, "survey_photos": a.survey_photos, "appraisal": a.appraisal,
            "publicity_from": a.publicity_from, "publicity_until": a.publicity_until, "objections": a.objections,
            "decision": a.decision, "decision_reason": a.decision_reason, "paid_from": a.paid_from,
            "reviews": a.reviews, "version": a.case.version,
            "actions": selectors.application_actions(user=user, row=a)}


def my_application_out(a: AssistanceApplication) -> dict[str, Any]:
    case = a.case
    return {"number": case.number, "kind": a.kind, "kind_label": a.get_kind_display(), "status": case.status,
            "status_label": state_label(case.process, case.status), "created_at": case.created_at,
            "version": case.version}


def publicity_out(a: AssistanceApplication, villages: dict[str, str]) -> dict[str, Any]:
    """公示: name, village and amount only."""
    code = a.case.area_code[:selectors.VILLAGE]
    return {"name": a.applicant.name, "village": villages.get(code, code), "amount": a.amount,
            "until": a.publicity_until}
