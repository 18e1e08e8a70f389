"""Reads of rule sets, grants and payment lists, through the user asking (policy_calc), and the decision PDF.

A grant or a file outside what the user may see is 404; every read of a grant (page, API, PDF) is audited, as
every view of a household's file is.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhenwu.accounts.choices import Role
from zhenwu.accounts.masking import mask_name
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import scope_prefix
from zhenwu.assistance import policy_calc as policy
from zhenwu.assistance.choices import ApplicationKind, AssistanceStatus
from zhenwu.assistance.choices_calc import GrantStatus
from zhenwu.assistance.documents_calc import DecisionData, decision_pdf
from zhenwu.assistance.models import AssistanceFile, Grant, RuleSet
from zhenwu.casework.services.audit import audit_record
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _

# --- rule sets ----------------------------------------------------------------------------------------------

def rule_sets(*, user: User, town_code: str = "") -> QuerySet[RuleSet]:
    """The rule sets of the towns of ``user``'s scope (a village's staff: their town's), newest first."""
    if not policy.may_read_rules(user):
        raise NotFound(_("Not found."))
    prefix = scope_prefix(user) or ""
    qs = RuleSet.objects.all()
    if len(prefix) >= policy.TOWN_CODE_LENGTH:
        qs = qs.filter(town_code=prefix[:policy.TOWN_CODE_LENGTH])
    elif prefix:
        qs = qs.filter(town_code__startswith=prefix)
    if town_code:
        qs = qs.filter(town_code=town_code)
    return qs.order_by("town_code", "-version")


def rule_set_get(*, user: User, pk: int) -> RuleSet:
    found = rule_sets(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def rule_set_current(*, user: User, town_code: str) -> RuleSet | None:
    return rule_sets(user=user, town_code=town_code).filter(
        effective_from__lte=timezone.localdate()).order_by("-effective_from").first()


# --- grants -------------------------------------------------------------------------------------------------

def file_get(*, user: User, pk: int, field: str = "file_id") -> AssistanceFile:
    """A household's file the user may see (404 otherwise, also for a file that does not exist)."""
    found = AssistanceFile.objects.select_related("household").filter(pk=pk).first()
    if found is None or not policy.file_visible(user, found):
        raise NotFound(_("Not found."), field=field)
    return found


def grants(*, user: User, file_id: int | None = None, status: str = "", kind: str = "") -> QuerySet[Grant]:
    if not policy.is_staff(user):
        raise NotFound(_("Not found."))
    if status and status not in GrantStatus.values:
        raise FieldError("status", _("Unknown status."))
    if kind and kind not in ApplicationKind.values:
        raise FieldError("kind", _("Unknown kind of assistance."))
    qs = policy.grants_visible(user, Grant.objects.select_related("file__household", "rule_set"))
    filters = Q()
    if file_id is not None:
        filters &= Q(file_id=file_id)
    if status:
        filters &= Q(status=status)
    if kind:
        filters &= Q(kind=kind)
    return qs.filter(filters).order_by("-period_start", "-pk")


def grant_get(*, user: User, pk: int, audit: str = "view", request_id: str = "") -> Grant:
    """One grant the user may see; the read is audited (``audit`` names it)."""
    found = Grant.objects.select_related("file__household__head", "rule_set").filter(pk=pk).first()
    if found is None or not policy.file_visible(user, found.file):
        raise NotFound(_("Not found."))
    if audit:
        audit_record(subject=f"assistance.grant:{found.pk}", actor=user, action=audit, request_id=request_id)
    return found


def check_grants_page(user: User) -> None:
    if not policy.is_staff(user):
        raise NotFound(_("Not found."))
    if not user.has_role(Role.CIVIL_AFFAIRS):
        raise Forbidden(_("Only civil-affairs staff see assistance grants."))


# --- the decision PDF ---------------------------------------------------------------------------------------

def village_name(area_code: str) -> str:
    from zhenwu.areas.models import Area

    code = area_code[:policy.VILLAGE_CODE_LENGTH]
    return Area.objects.filter(code=code).values_list("name", flat=True).first() or code


def town_name(area_code: str) -> str:
    from zhenwu.areas.models import Area

    code = area_code[:policy.TOWN_CODE_LENGTH]
    return Area.objects.filter(code=code).values_list("name", flat=True).first() or code


def grant_pdf(grant: Grant) -> bytes:
    inputs: dict[str, Any] = grant.breakdown.get("inputs", {})
    head = grant.file.household.head
    return decision_pdf(DecisionData(
        issuer=_("%(town)s People's Government") % {"town": town_name(grant.area_code)}, grant_id=grant.pk,
        household_number=grant.file.household.number, head_name=mask_name(head.name) if head else "-",
        village=village_name(grant.area_code), kind_label=str(dict(ApplicationKind.choices)[grant.kind]),
        category_label=str(dict(AssistanceStatus.choices).get(grant.category, grant.category)),
        period=f"{grant.period_start.isoformat()} – {grant.period_end.isoformat()}",
        rule_version=f"{grant.rule_set.town_code} v{grant.rule_set.version} ({grant.rule_set.effective_from})",
        members=[mask_name(m.get("name", "")) for m in inputs.get("members", [])],
        steps=list(grant.breakdown.get("steps", [])), amount=str(grant.monthly_amount),
        decided_on=timezone.localtime(grant.created_at).date()))
