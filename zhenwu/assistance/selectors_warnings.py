"""Reads of early warning and mutual aid, each starting from the user (policy_warnings); counts per village
and town for every staff member of a scope, names only for those the policy lets read them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from zhenwu.accounts.masking import mask_name
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.areas.models import Area
from zhenwu.assistance import policy_warnings as policy
from zhenwu.assistance.choices_warnings import ClaimStatus, WarningOutcome, WarningState
from zhenwu.assistance.models import Claim, EarlyWarning, Enrolment, FundEntry, MutualAidYear, SettlementImport
from zhenwu.assistance.services.mutual_aid import fund_totals
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _

TOWN_CODE_LENGTH = 9
COUNT_FIELDS = ("raised", "open", "overdue", "visited", "no_need", "application_opened", "referred")


def _counts(qs: QuerySet[EarlyWarning], length: int) -> dict[str, dict[str, int]]:
    rows = (qs.annotate(unit=Substr("area_code", 1, length)).values("unit").annotate(
        raised=Count("id"), open=Count("id", filter=Q(state=WarningState.OPEN)),
        overdue=Count("id", filter=Q(state=WarningState.OPEN, case__light="red")),
        visited=Count("id", filter=Q(state=WarningState.CLOSED)),
        no_need=Count("id", filter=Q(outcome=WarningOutcome.NO_NEED)),
        application_opened=Count("id", filter=Q(outcome=WarningOutcome.APPLICATION_OPENED)),
        referred=Count("id", filter=Q(outcome=WarningOutcome.REFERRED))).order_by("unit"))
    return {str(r["unit"]): {k: int(r[k]) for k in COUNT_FIELDS} for r in rows}  # type: ignore[literal-required]


def parse_period(date_from: str, date_to: str) -> tuple[dt.date | None, dt.date | None]:
    out: list[dt.date | None] = []
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        try:
            out.append(dt.date.fromisoformat(value) if value else None)
        except ValueError as exc:
            raise FieldError(name, _("Enter a valid date (YYYY-MM-DD).")) from exc
    if out[0] and out[1] and out[0] > out[1]:
        raise FieldError("date_to", _("The end must be after the start."))
    return out[0], out[1]


def warning_counts(*, user: User, date_from: dt.date | None = None,
                   date_to: dt.date | None = None) -> dict[str, list[dict[str, Any]]]:
    """Warnings raised (by ``as_of`` in the period), open, overdue, visited and each outcome, per village and
    per town of the user's scope. Counts only: every staff member of a scope may read them."""
    policy.check_counts(user)
    qs = restrict(EarlyWarning.objects.all(), user)
    if date_from:
        qs = qs.filter(as_of__gte=date_from)
    if date_to:
        qs = qs.filter(as_of__lte=date_to)
    result: dict[str, list[dict[str, Any]]] = {}
    for key, length in (("villages", policy.VILLAGE_CODE_LENGTH), ("towns", TOWN_CODE_LENGTH)):
        counts = _counts(qs, length)
        names = dict(Area.objects.filter(code__in=list(counts)).values_list("code", "name"))
        result[key] = [{"code": code, "name": names.get(code, code), **row} for code, row in counts.items()]
    return result


def imports_visible(user: User) -> QuerySet[SettlementImport]:
    policy.check_manager(user)
    return restrict(SettlementImport.objects.select_related("created_by"), user)


# --- 福村宝 -----------------------------------------------------------------------------------------------

def years_visible(user: User) -> QuerySet[MutualAidYear]:
    """Every staff member of a scope sees the years (and their totals) of the villages in it."""
    policy.check_counts(user)
    return restrict(MutualAidYear.objects.select_related("village"), user)


def year_get(user: User, pk: int) -> MutualAidYear:
    row = years_visible(user).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such mutual-aid year."), field="id")
    return row


def year_summary(year: MutualAidYear) -> dict[str, Any]:
    """Counts and money of a year, without a name: what anyone may read."""
    claims = Claim.objects.filter(year=year).aggregate(
        filed=Count("id", filter=Q(status=ClaimStatus.FILED)), paid=Count("id", filter=Q(status=ClaimStatus.PAID)),
        rejected=Count("id", filter=Q(status=ClaimStatus.REJECTED)))
    by_group = list(Claim.objects.filter(year=year, status=ClaimStatus.PAID).values("group__code", "group__name")
                    .annotate(count=Count("id"), amount=Sum("amount")).order_by("group__code"))
    return {"enrolled": Enrolment.objects.filter(year=year).count(), "claims": claims,
            "money": fund_totals(year), "by_group": by_group}


def check_roll_reader(user: User, year: MutualAidYear) -> None:
    """Names on a village's roll: civil affairs of the scope and the village's own staff (403 for others)."""
    policy.check_roll(user, year.area_code)


def public_ledger(village_code: str) -> dict[str, Any]:
    """The public page of a village: every year's money in and out and each paid claim, names masked
    (first character only), no ID numbers; donors that are people are masked the same way."""
    village = Area.objects.filter(code=village_code, level="village").first()
    if village is None:
        raise NotFound(_("No such village."), field="village")
    years = []
    for year in MutualAidYear.objects.filter(village=village).order_by("-year"):
        paid = (Claim.objects.filter(year=year, status=ClaimStatus.PAID).select_related("enrolment__person", "group")
                .order_by("paid_on", "id"))
        years.append({"year": year, "summary": year_summary(year),
                      "donations": [{"donor": mask_name(e.donor), "amount": e.amount, "received_on": e.received_on,
                                     "source": e.get_source_display()}
                                    for e in FundEntry.objects.filter(year=year).order_by("received_on", "id")],
                      "paid": [{"name": mask_name(c.enrolment.person.name), "group": c.group.name,
                                "treated_on": c.treated_on, "paid_on": c.paid_on, "amount": c.amount} for c in paid]})
    return {"village": village, "years": years}
