"""双随机一公开: random-inspection plans (抽查计划), their drawn targets and the inspectors' results.

A plan moves draft → announced → drawn → issued → reported → published → closed (``PLAN_STEPS`` in
``services/inspections.py``, the one table of its moves). Announcing freezes the draw's inputs
(``draw_inputs``: the directories, the recusals, the date and the source of the public value) and their
hash; the draw adds the public value and the seed; a target row with its inspectors is the inspectors' task.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (草拟)")
    ANNOUNCED = "announced", _("Announced (已公告)")
    DRAWN = "drawn", _("Drawn (已抽取)")
    ISSUED = "issued", _("Tasks issued (已派发)")
    REPORTED = "reported", _("Results in (结果已录入)")
    PUBLISHED = "published", _("Results published (已公示)")
    CLOSED = "closed", _("Closed (已办结)")


class Tristate(models.TextChoices):
    """A yes/no filter that may also be left open."""

    ANY = "any", _("Any")
    ONLY = "only", _("Only")
    EXCLUDE = "exclude", _("Excluded")


class InspectionResult(models.TextChoices):
    PENDING = "pending", _("Not inspected yet (待检查)")
    NO_PROBLEM = "no_problem", _("No problem found (未发现问题)")
    PROBLEM = "problem", _("Problem found, case opened (发现问题，已立案)")
    NOT_FOUND = "not_found", _("Not found at the registered address (查无下落)")


class InspectionPlan(models.Model):
    """抽查计划: what is checked (items), among whom (the filter over the market-entity directory), how many
    (the ratio, raised for flagged entities) and by how many inspectors per target."""

    number = models.CharField(_("plan number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    area_code = models.CharField(_("area code"), max_length=18, db_index=True)
    items = models.ManyToManyField("enforcement.InspectionItem", verbose_name=_("inspection items"),
                                   related_name="plans")
    industries = models.JSONField(_("industries"), default=list, blank=True)
    risk_levels = models.JSONField(_("risk levels"), default=list, blank=True)
    abnormal = models.CharField(_("abnormal-operation listing"), max_length=8, choices=Tristate.choices,
                                default=Tristate.ANY)
    min_complaints = models.PositiveIntegerField(_("at least this many complaints"), default=0)
    credit_flag = models.CharField(_("credit flag"), max_length=8, choices=Tristate.choices, default=Tristate.ANY)
    ratio = models.DecimalField(_("ratio, percent"), max_digits=5, decimal_places=2)
    flagged_ratio = models.DecimalField(_("ratio for flagged entities, percent"), max_digits=5, decimal_places=2)
    inspectors_per_target = models.PositiveSmallIntegerField(_("inspectors per target"), default=2)
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT,
                              db_index=True)
    draw_date = models.DateField(_("draw date"), null=True, blank=True)
    beacon_source = models.CharField(_("source of the public value"), max_length=200, blank=True)
    draw_inputs = models.JSONField(_("draw inputs"), null=True, blank=True)
    announcement_hash = models.CharField(_("announcement hash"), max_length=64, blank=True)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    beacon_value = models.CharField(_("public value"), max_length=200, blank=True)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    publish_due = models.DateField(_("results due for publication"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("random-inspection plan")
        verbose_name_plural = _("random-inspection plans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class InspectionTarget(models.Model):
    """A drawn market entity with its inspectors: the inspectors' task, then its result."""

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("random-inspection plan"), on_delete=models.CASCADE,
                             related_name="targets")
    position = models.PositiveIntegerField(_("position in the draw"))
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("enterprise"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    enterprise_key = models.PositiveIntegerField(_("enterprise id in the draw"))
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)
    flagged = models.BooleanField(_("flagged"), default=False)
    inspectors = models.ManyToManyField("enforcement.Officer", verbose_name=_("inspectors"),
                                        related_name="inspection_tasks")
    inspector_ids = models.JSONField(_("inspectors in draw order"), default=list)
    result = models.CharField(_("result"), max_length=12, choices=InspectionResult.choices,
                              default=InspectionResult.PENDING)
    note = models.TextField(_("findings"), blank=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    case = models.ForeignKey("enforcement.PenaltyCase", verbose_name=_("penalty case"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("inspection target")
        verbose_name_plural = _("inspection targets")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="inspectiontarget_position")]

    def __str__(self) -> str:
        return f"{self.plan.number} #{self.position} {self.name}"
