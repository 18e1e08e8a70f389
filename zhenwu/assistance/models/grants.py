"""Grants: what a household receives each month, with the calculation that produced the amount."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import ApplicationKind, AssistanceStatus
from zhenwu.assistance.choices_calc import GrantStatus
from zhenwu.assistance.models.household import AssistanceFile
from zhenwu.assistance.models.rules import RuleSet


class Grant(models.Model):
    """A monthly amount for one household for a period (months, within one year), computed under one rule set.

    ``breakdown`` is the calculation's whole record (every input, rule and cap applied). A rule change splits
    a grant: this one ends before the new rules' first period and ``previous`` links the next one to it.
    """

    file = models.ForeignKey(AssistanceFile, verbose_name=_("assistance file"), on_delete=models.PROTECT,
                             related_name="grants")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)  # the file's, for scope
    kind = models.CharField(_("kind"), max_length=16, choices=ApplicationKind.choices)
    category = models.CharField(_("category"), max_length=16, choices=AssistanceStatus.choices)
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=12, decimal_places=2)
    breakdown = models.JSONField(_("breakdown"))
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT,
                                 related_name="grants")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=16, choices=GrantStatus.choices, default=GrantStatus.ACTIVE,
                              db_index=True)
    stopped_reason = models.CharField(_("reason for stopping"), max_length=200, blank=True, default="")
    previous = models.OneToOneField("self", verbose_name=_("previous grant"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="next")
    application_number = models.CharField(_("application number"), max_length=40, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-period_start", "id"]
        indexes = [models.Index(fields=["area_code", "status", "period_start"], name="assistance_grant_scope")]

    def __str__(self) -> str:
        return f"{self.file_id} {self.kind} {self.monthly_amount} ({self.period_start}–{self.period_end})"
