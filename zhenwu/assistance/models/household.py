"""一户一档: a household's assistance file and the history of its status.

The file hangs off the registry's household; its members are the household's residents, so scope is the
household's grid (``area_code``), as everywhere else. Everything sensitive about a household hangs off
its file, and only civil-affairs staff and the village worker of the household's grid may read it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import AssistanceStatus, ExpenditureKind


class AssistanceFile(models.Model):
    household = models.OneToOneField("registry.Household", verbose_name=_("household"), on_delete=models.PROTECT,
                                     related_name="assistance_file")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)  # the household's grid, for scope
    status = models.CharField(_("assistance status"), max_length=16, choices=AssistanceStatus.choices,
                              default=AssistanceStatus.NONE, db_index=True)
    status_since = models.DateField(_("status since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assistance file")
        verbose_name_plural = _("assistance files")
        ordering = ["area_code", "id"]
        indexes = [models.Index(fields=["area_code", "status"], name="assistance_file_scope")]

    def __str__(self) -> str:
        return f"{self.household_id} · {self.get_status_display()}"


class StatusChange(models.Model):
    """One change of a file's status, kept for ever."""

    file = models.ForeignKey(AssistanceFile, verbose_name=_("assistance file"), on_delete=models.CASCADE,
                             related_name="status_changes")
    old = models.CharField(_("old status"), max_length=16, choices=AssistanceStatus.choices)
    new = models.CharField(_("new status"), max_length=16, choices=AssistanceStatus.choices)
    on = models.DateField(_("effective on"))
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["file", "on", "id"]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.old} → {self.new} ({self.on})"


# --- The calculation's inputs (issue 13 §4). Minimal versions of assist-core's models, by the names and fields
# of the contract (/work/wt/ASSISTANCE.md); the integrator keeps assist-core's fuller ones.

class MemberProfile(models.Model):
    """What the calculation needs to know about one member (a registry resident) of a file's household."""

    file = models.ForeignKey(AssistanceFile, verbose_name=_("assistance file"), on_delete=models.CASCADE,
                             related_name="members")
    resident = models.ForeignKey("registry.Resident", verbose_name=_("resident"), on_delete=models.CASCADE,
                                 related_name="+")
    disability_grade = models.PositiveSmallIntegerField(_("disability grade"), default=0)  # 0 none, 1 most severe … 4
    work_capacity = models.CharField(_("work capacity"), max_length=16, blank=True, default="")
    schooling = models.CharField(_("schooling"), max_length=16, blank=True, default="")
    health = models.CharField(_("health"), max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")
        constraints = [models.UniqueConstraint(fields=["file", "resident"], name="assistance_member_unique")]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.resident_id}"


class Income(models.Model):
    """One source of a household's income, per month."""

    file = models.ForeignKey(AssistanceFile, verbose_name=_("assistance file"), on_delete=models.CASCADE,
                             related_name="incomes")
    member = models.ForeignKey("registry.Resident", verbose_name=_("member"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("source"), max_length=32)
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("income")
        verbose_name_plural = _("incomes")

    def __str__(self) -> str:
        return f"{self.file_id}: {self.source} {self.monthly_amount}"


class Expenditure(models.Model):
    """A rigid expenditure (刚性支出) of a year: medical, education or care, with its evidence."""

    file = models.ForeignKey(AssistanceFile, verbose_name=_("assistance file"), on_delete=models.CASCADE,
                             related_name="expenditures")
    member = models.ForeignKey("registry.Resident", verbose_name=_("member"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=ExpenditureKind.choices)
    yearly_amount = models.DecimalField(_("yearly amount"), max_digits=12, decimal_places=2)
    evidence = models.ForeignKey("casework.Attachment", verbose_name=_("evidence"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        indexes = [models.Index(fields=["file", "year"], name="assistance_expenditure_year")]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.kind} {self.yearly_amount} ({self.year})"
