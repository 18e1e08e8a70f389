"""福村宝 village medical mutual aid (§6): per village and year, voluntary enrolment with a contribution,
a fund (village money, donations and the contributions), claims by disease group reimbursed at the
group's rate up to its cap (and a cap per person and year), and their payment. Every villager can read
the village's ledger on a public page, names masked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices_warnings import ClaimStatus, FundSource, MutualAidYearStatus


class MutualAidYear(models.Model):
    """One village's mutual-aid year: the contribution per person and the cap per person."""

    village = models.ForeignKey("areas.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)  # the village's code
    year = models.PositiveIntegerField(_("year"))
    contribution = models.DecimalField(_("contribution per person"), max_digits=12, decimal_places=2)
    person_cap = models.DecimalField(_("cap per person and year"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=8, choices=MutualAidYearStatus.choices,
                              default=MutualAidYearStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mutual-aid year")
        verbose_name_plural = _("mutual-aid years")
        ordering = ["area_code", "-year"]
        constraints = [models.UniqueConstraint(fields=["village", "year"], name="mutualaid_year_once")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.year}"


class DiseaseGroup(models.Model):
    """A disease group of a year: the share of the eligible cost reimbursed and the cap per person."""

    year = models.ForeignKey(MutualAidYear, verbose_name=_("mutual-aid year"), on_delete=models.CASCADE,
                             related_name="groups")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=50)
    rate = models.DecimalField(_("reimbursement rate"), max_digits=4, decimal_places=3)
    cap = models.DecimalField(_("cap per person and year"), max_digits=12, decimal_places=2)
    deductible = models.DecimalField(_("deductible per claim"), default=0, max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("disease group")
        verbose_name_plural = _("disease groups")
        ordering = ["year", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="mutualaid_group_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Enrolment(models.Model):
    """A villager's voluntary enrolment in a year, with the contribution paid."""

    year = models.ForeignKey(MutualAidYear, verbose_name=_("mutual-aid year"), on_delete=models.CASCADE,
                             related_name="enrolments")
    person = models.ForeignKey("registry.Resident", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="+")
    contribution = models.DecimalField(_("contribution"), max_digits=12, decimal_places=2)
    enrolled_on = models.DateField(_("enrolled on"))
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("mutual-aid enrolment")
        verbose_name_plural = _("mutual-aid enrolments")
        ordering = ["year", "id"]
        constraints = [models.UniqueConstraint(fields=["year", "person"], name="mutualaid_enrol_once")]

    def __str__(self) -> str:
        return f"{self.year_id} {self.person_id}"


class FundEntry(models.Model):
    """Money paid into the fund other than contributions: the village's own money, donations."""

    year = models.ForeignKey(MutualAidYear, verbose_name=_("mutual-aid year"), on_delete=models.CASCADE,
                             related_name="fund_entries")
    source = models.CharField(_("source"), max_length=16, choices=FundSource.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    donor = models.CharField(_("donor"), max_length=100, blank=True, default="")
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        ordering = ["year", "received_on", "id"]

    def __str__(self) -> str:
        return f"{self.year_id} {self.source} {self.amount}"


class Claim(models.Model):
    """A claim of an enrolled villager: the eligible cost, the amount computed by the group's rate and the
    caps (its breakdown kept), then paid or rejected."""

    year = models.ForeignKey(MutualAidYear, verbose_name=_("mutual-aid year"), on_delete=models.CASCADE,
                             related_name="claims")
    enrolment = models.ForeignKey(Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT,
                                  related_name="claims")
    group = models.ForeignKey(DiseaseGroup, verbose_name=_("disease group"), on_delete=models.PROTECT,
                              related_name="claims")
    treated_on = models.DateField(_("treated on"))
    eligible = models.DecimalField(_("eligible cost (out-of-pocket)"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    breakdown = models.JSONField(_("breakdown"), default=dict)
    status = models.CharField(_("status"), max_length=8, choices=ClaimStatus.choices, default=ClaimStatus.FILED,
                              db_index=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"), null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=64, blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    reject_reason = models.CharField(_("reason for rejection"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("mutual-aid claim")
        verbose_name_plural = _("mutual-aid claims")
        ordering = ["year", "treated_on", "id"]

    def __str__(self) -> str:
        return f"{self.year_id} {self.group_id} {self.amount}"
