"""一户一档: a household's assistance file and the history of its status.

The file hangs off the registry's household; its members are the household's residents, so scope is the
household's grid (``area_code``), as everywhere else. Everything sensitive about a household hangs off
its file, and only civil-affairs staff and the village worker of the household's grid may read it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import (
    AssetKind,
    AssistanceStatus,
    ExpenditureKind,
    Health,
    IncomeOrigin,
    IncomeSource,
    NeedKind,
    NeedStatus,
    ResourceKind,
    Schooling,
    WorkCapacity,
)


class AssistanceFile(models.Model):
    household = models.OneToOneField("registry.Household", verbose_name=_("household"), on_delete=models.PROTECT,
                                     related_name="assistance_file")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)  # the household's grid, for scope
    status = models.CharField(_("assistance status"), max_length=16, choices=AssistanceStatus.choices,
                              default=AssistanceStatus.NONE, db_index=True)
    status_since = models.DateField(_("status since"), null=True, blank=True)
    next_review_on = models.DateField(_("next review due"), null=True, blank=True, db_index=True)  # 动态复核
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
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


# --- the file's sections (一户一档) -------------------------------------------------------------------

class MemberProfile(models.Model):
    """A household member as assistance sees them: disability, health, work capacity, schooling (the person
    themselves is the registry's ``Resident``)."""

    file = models.ForeignKey(AssistanceFile, verbose_name=_("assistance file"), on_delete=models.CASCADE,
                             related_name="members")
    resident = models.ForeignKey("registry.Resident", verbose_name=_("resident"), on_delete=models.PROTECT,
                                 related_name="assistance_profiles")
    disability_grade = models.PositiveSmallIntegerField(_("disability grade"), default=0)  # 0 none, 1 (severest)–4
    work_capacity = models.CharField(_("work capacity"), max_length=16, choices=WorkCapacity.choices,
                                     default=WorkCapacity.FULL)
    schooling = models.CharField(_("schooling"), max_length=16, choices=Schooling.choices, default=Schooling.NONE)
    health = models.CharField(_("health"), max_length=16, choices=Health.choices, default=Health.HEALTHY)
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")
        ordering = ["file", "id"]
        constraints = [models.UniqueConstraint(fields=["file", "resident"], name="assistance_member_once"),
                       models.CheckConstraint(condition=models.Q(disability_grade__lte=4),
                                              name="assistance_disability_grade_range")]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.resident_id}"


class Income(models.Model):
    """One income of the household by source, per month (declared, imported or found by the survey)."""

    file = models.ForeignKey(AssistanceFile, verbose_name=_("assistance file"), on_delete=models.CASCADE,
                             related_name="incomes")
    member = models.ForeignKey("registry.Resident", verbose_name=_("member"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("income source"), max_length=16, choices=IncomeSource.choices)
    monthly_amount = models.DecimalField(_("monthly amount (yuan)"), max_digits=10, decimal_places=2)
    origin = models.CharField(_("origin"), max_length=16, choices=IncomeOrigin.choices,
                              default=IncomeOrigin.DECLARED)
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("income")
        verbose_name_plural = _("incomes")
        ordering = ["file", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(monthly_amount__gte=0),
                                              name="assistance_income_not_negative")]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.source} {self.monthly_amount}"


class Asset(models.Model):
    """家庭财产: a house, a vehicle, deposits … with its value as declared or found."""

    file = models.ForeignKey(AssistanceFile, verbose_name=_("assistance file"), on_delete=models.CASCADE,
                             related_name="assets")
    kind = models.CharField(_("kind"), max_length=16, choices=AssetKind.choices)
    description = models.CharField(_("description"), max_length=200)
    value = models.DecimalField(_("value (yuan)"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["file", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(value__gte=0), name="assistance_asset_not_negative")]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.kind} {self.value}"


class Expenditure(models.Model):
    """A rigid expenditure (刚性支出: medical, education, care) of one year, always with its evidence (a stored
    file: invoices, a school's fee notice, a care contract)."""

    file = models.ForeignKey(AssistanceFile, verbose_name=_("assistance file"), on_delete=models.CASCADE,
                             related_name="expenditures")
    member = models.ForeignKey("registry.Resident", verbose_name=_("member"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=ExpenditureKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    yearly_amount = models.DecimalField(_("yearly amount (yuan)"), max_digits=12, decimal_places=2)
    evidence = models.ForeignKey("casework.Attachment", verbose_name=_("evidence"), on_delete=models.PROTECT,
                                 related_name="+")
    description = models.CharField(_("description"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rigid expenditure")
        verbose_name_plural = _("rigid expenditures")
        ordering = ["file", "-year", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(yearly_amount__gt=0),
                                              name="assistance_expenditure_positive")]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.kind} {self.year} {self.yearly_amount}"


class Need(models.Model):
    """A need the home survey found (medical, schooling, care, housing, jobs) and what was matched to it."""

    file = models.ForeignKey(AssistanceFile, verbose_name=_("assistance file"), on_delete=models.CASCADE,
                             related_name="needs")
    member = models.ForeignKey("registry.Resident", verbose_name=_("member"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("need"), max_length=16, choices=NeedKind.choices, db_index=True)
    description = models.CharField(_("description"), max_length=300)
    status = models.CharField(_("status"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN,
                              db_index=True)
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)  # the file's, for the database
    found_on = models.DateField(_("found on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["area_code", "id"]
        indexes = [models.Index(fields=["area_code", "kind", "status"], name="assistance_need_scope")]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.kind}"


class Resource(models.Model):
    """A resource of the town that may meet needs: a policy, a charity, a volunteer team (资源库)."""

    kind = models.CharField(_("kind"), max_length=16, choices=ResourceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True, default="")
    need_kinds = models.JSONField(_("needs it meets"), default=list)
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)  # where it is offered
    contact = models.CharField(_("contact"), max_length=100, blank=True, default="")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class ResourceMatch(models.Model):
    """A resource linked to a need, by whom and when."""

    need = models.ForeignKey(Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="matches")
    resource = models.ForeignKey(Resource, verbose_name=_("resource"), on_delete=models.PROTECT,
                                 related_name="matches")
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    matched_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("matched by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    matched_at = models.DateTimeField(_("matched at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resource match")
        verbose_name_plural = _("resource matches")
        ordering = ["need", "id"]
        constraints = [models.UniqueConstraint(fields=["need", "resource"], name="assistance_match_once")]

    def __str__(self) -> str:
        return f"{self.need_id} ← {self.resource_id}"


class ImportedIncome(models.Model):
    """A person's income as another department reports it (social security, tax, pension, unemployment …): the
    data the household economic check (家庭经济状况核对) compares the declared income with."""

    id_number = models.CharField(_("ID number"), max_length=18, db_index=True)
    source = models.CharField(_("income source"), max_length=16, choices=IncomeSource.choices)
    monthly_amount = models.DecimalField(_("monthly amount (yuan)"), max_digits=10, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("year"))
    provider = models.CharField(_("reported by"), max_length=100)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("imported income")
        verbose_name_plural = _("imported incomes")
        ordering = ["id_number", "-year", "id"]
        constraints = [models.UniqueConstraint(fields=["id_number", "source", "year", "provider"],
                                               name="assistance_imported_income_once"),
                       models.CheckConstraint(condition=models.Q(monthly_amount__gte=0),
                                              name="assistance_imported_income_not_negative")]

    def __str__(self) -> str:
        return f"{self.id_number[-4:]} {self.source} {self.year}"
