"""Published, versioned rule sets of expenditure-based assistance (分类+量化, issue 13 §4).

A town publishes a rule set for the periods from ``effective_from`` on; once published it is never edited
(every row here refuses a second save and a delete). A change is a new version, effective from a later
period only, so every amount ever computed can be traced to the exact rules it used.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import AssistanceStatus, ExpenditureKind
from zhenwu.assistance.choices_calc import MemberCondition

CATEGORIES = [c for c in AssistanceStatus.choices if c[0] != AssistanceStatus.NONE]


class Published(models.Model):
    """A row of a published rule set: written once, never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("a published rule set is never edited: publish a new version")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("a published rule set is never deleted")


class RuleSet(Published):
    """One version of a town's rules: the local standard, the household cap and the rows below."""

    town_code = models.CharField(_("town code"), max_length=24, db_index=True)
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    local_standard = models.DecimalField(_("local standard per person per month"), max_digits=12, decimal_places=2)
    household_cap_yearly = models.DecimalField(_("maximum combined assistance per household per year"),
                                               max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assistance rule set")
        verbose_name_plural = _("assistance rule sets")
        ordering = ["town_code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["town_code", "version"], name="assistance_ruleset_version"),
            models.UniqueConstraint(fields=["town_code", "effective_from"], name="assistance_ruleset_from"),
        ]

    def __str__(self) -> str:
        return f"{self.town_code} v{self.version} ({self.effective_from})"


class CategoryRule(Published):
    """Per category (a file's status): the need line as a multiple of the local standard, and a monthly cap."""

    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE,
                                 related_name="categories")
    category = models.CharField(_("category"), max_length=16, choices=CATEGORIES)
    line_factor = models.DecimalField(_("need line (× local standard)"), max_digits=6, decimal_places=3)
    cap_monthly = models.DecimalField(_("cap per household per month"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("category rule")
        verbose_name_plural = _("category rules")
        constraints = [models.UniqueConstraint(fields=["rule_set", "category"], name="assistance_category_once")]

    def __str__(self) -> str:
        return f"{self.rule_set_id}: {self.category}"


class Tier(Published):
    """量化: the share of a category's monthly gap paid between ``lower`` and ``upper`` (open when null)."""

    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="tiers")
    category = models.CharField(_("category"), max_length=16, choices=CATEGORIES)
    lower = models.DecimalField(_("from (monthly gap)"), max_digits=12, decimal_places=2)
    upper = models.DecimalField(_("to (monthly gap)"), null=True, blank=True, max_digits=12, decimal_places=2)
    rate_percent = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["rule_set", "category", "lower"]

    def __str__(self) -> str:
        return f"{self.category} {self.lower}–{self.upper or '∞'}: {self.rate_percent}%"


class ItemCap(Published):
    """The most of one kind of rigid expenditure counted per household per year."""

    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE,
                                 related_name="item_caps")
    kind = models.CharField(_("kind"), max_length=16, choices=ExpenditureKind.choices)
    cap_yearly = models.DecimalField(_("cap per year"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("expenditure cap")
        verbose_name_plural = _("expenditure caps")
        constraints = [models.UniqueConstraint(fields=["rule_set", "kind"], name="assistance_itemcap_once")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.cap_yearly}"


class AddOn(Published):
    """分类: a member's condition raises the need line by ``percent`` of the local standard."""

    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE,
                                 related_name="add_ons")
    condition = models.CharField(_("condition"), max_length=24, choices=MemberCondition.choices)
    percent = models.DecimalField(_("share of the local standard (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("member add-on")
        verbose_name_plural = _("member add-ons")
        constraints = [models.UniqueConstraint(fields=["rule_set", "condition"], name="assistance_addon_once")]

    def __str__(self) -> str:
        return f"{self.condition}: {self.percent}%"
