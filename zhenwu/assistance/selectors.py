"""Every read of files, needs and applications, through the privacy rule of ``policy``: rows outside it do not
exist for the reader (404); counts are for every staff member of the scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.areas.models import Area
from zhenwu.assistance import policy, process
from zhenwu.assistance.choices import ApplicationKind, AssistanceStatus, NeedKind, NeedStatus
from zhenwu.assistance.models import AssistanceApplication, AssistanceFile, Need, Resource
from zhenwu.casework.process import process_get
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _

VILLAGE = policy.VILLAGE_CODE_LENGTH


def _village_filter(qs: QuerySet[Any], village: str, field: str) -> QuerySet[Any]:
    if not village:
        return qs
    if not village.isdigit() or len(village) != VILLAGE:
        raise FieldError("village", _("Give a village's 12-digit area code."))
    return qs.filter(**{f"{field}__startswith": village})


def _choice(value: str, choices: Any, field: str) -> str:
    if value and value not in choices.values:
        raise FieldError(field, _("Unknown value: choose one of the listed options."))
    return value


def file_list(*, user: User, status: str = "", village: str = "", q: str = "") -> QuerySet[AssistanceFile]:
    qs = policy.files_visible(user).select_related("household", "household__head")
    if _choice(status, AssistanceStatus, "status"):
        qs = qs.filter(status=status)
    qs = _village_filter(qs, village, "area_code")
    if q:
        qs = qs.filter(Q(household__number__startswith=q) | Q(household__head__name__startswith=q)
                       | Q(household__address__contains=q))
    return qs.order_by("area_code", "pk")


def file_get(*, user: User, pk: int) -> AssistanceFile:
    """One file the user may open; absent and not theirs both answer 404."""
    file = policy.files_visible(user).select_related("household", "household__head").filter(pk=pk).first()
    if file is None:
        raise NotFound(_("No such assistance file."), field="file")
    return file


def village_names(codes: list[str]) -> dict[str, str]:
    return dict(Area.objects.filter(code__in=codes).values_list("code", "name"))


def file_counts(*, user: User) -> list[dict[str, Any]]:
    """Files per village and status in the user's scope: what everyone on the staff may know (no names)."""
    if not policy.may_count(user):
        raise NotFound(_("Not found."))
    rows = (restrict(AssistanceFile.objects.all(), user).exclude(status=AssistanceStatus.NONE)
            .annotate(village=Substr("area_code", 1, VILLAGE)).order_by()
            .values("village", "status").annotate(n=Count("pk")))
    names = village_names([r["village"] for r in rows])
    labels = dict(AssistanceStatus.choices)
    return sorted(({"village": r["village"], "village_name": names.get(r["village"], r["village"]),
                    "status": r["status"], "status_label": str(labels[r["status"]]), "count": r["n"]} for r in rows),
                  key=lambda r: (r["village"], r["status"]))


def application_counts(*, user: User) -> list[dict[str, Any]]:
    """Applications per kind and state in the user's scope (no names)."""
    if not policy.may_count(user):
        raise NotFound(_("Not found."))
    rows = (restrict(AssistanceApplication.objects.all(), user, field="case__area_code").order_by()
            .values("kind", "case__process", "case__status").annotate(n=Count("pk")))
    labels = dict(ApplicationKind.choices)
    return [{"kind": r["kind"], "kind_label": str(labels[r["kind"]]), "status": r["case__status"],
             "status_label": process_get(r["case__process"]).state_label(r["case__status"]), "count": r["n"]}
            for r in rows]


def application_list(*, user: User, status: str = "", kind: str = "", review_due: bool = False
                     ) -> QuerySet[AssistanceApplication]:
    qs = policy.filtered(AssistanceApplication.objects.all(), user, "case__area_code").select_related(
        "case", "applicant", "file")
    if status:
        qs = qs.filter(case__status=status)
    if _choice(kind, ApplicationKind, "kind"):
        qs = qs.filter(kind=kind)
    if review_due:
        from zhenwu.assistance.services.common import today

        qs = qs.filter(Q(case__status="reviewing") | Q(case__status="granted", file__next_review_on__lte=today()))
    return qs.order_by("case__deadline_due_at", "-pk")


def application_get(*, user: User, number: str) -> AssistanceApplication:
    """One application: staff who see the household, or the applicant's own account; 404 otherwise."""
    row = (AssistanceApplication.objects.select_related("case", "applicant", "file", "file__household")
           .filter(case__number=number).first())
    if row is None or not (policy.visible_on(user, row.case.area_code)
                           or (row.applicant_user_id is not None and row.applicant_user_id == user.pk)):
        raise NotFound(_("No such assistance application."), field="number")
    return row


def my_applications(*, user: User) -> QuerySet[AssistanceApplication]:
    return AssistanceApplication.objects.filter(applicant_user=user).select_related("case").order_by("-pk")


def application_actions(*, user: User, row: AssistanceApplication) -> list[dict[str, Any]]:
    """The actions ``user`` may take now (what the service would accept, guards aside)."""
    proc = process_get(row.case.process)
    own = row.applicant_user_id is not None and row.applicant_user_id == user.pk
    if not own and not policy.visible_on(user, row.case.area_code):
        return []
    out = []
    for act in proc.actions_from(row.case.status):
        if own and act.key == "withdraw" or not own and (not act.roles or user.has_role(*act.roles)):
            out.append({"key": act.key, "label": act.label, "required": list(act.required)})
    return out


def need_list(*, user: User, kind: str = "", status: str = "", village: str = "", matched: str = ""
              ) -> QuerySet[Need]:
    """The needs database across the households the user may see, with filters."""
    qs = policy.filtered(Need.objects.all(), user, "area_code").select_related("file__household__head", "member")
    if _choice(kind, NeedKind, "kind"):
        qs = qs.filter(kind=kind)
    if _choice(status, NeedStatus, "status"):
        qs = qs.filter(status=status)
    qs = _village_filter(qs, village, "area_code")
    if matched in ("yes", "no"):
        qs = qs.filter(matches__isnull=matched == "no").distinct()
    elif matched:
        raise FieldError("matched", _("Unknown value: choose one of the listed options."))
    return qs.prefetch_related("matches__resource").order_by("area_code", "pk")


def resource_list(*, user: User) -> QuerySet[Resource]:
    """Resources offered where the user works (their scope, or the wider areas holding it)."""
    if not policy.may_count(user):
        return Resource.objects.none()
    prefix = user.scope_code or ""
    wider = [prefix[:n] for n in range(6, len(prefix) + 1, 3)]
    return Resource.objects.filter(Q(area_code__startswith=prefix) | Q(area_code__in=wider), active=True)


def publicity_list() -> QuerySet[AssistanceApplication]:
    """公示: the applications in their publicity now — read for name, village and amount only."""
    return (AssistanceApplication.objects.filter(case__process=process.FULL, case__status="publicity")
            .select_related("applicant", "case").order_by("case__area_code", "pk"))
