"""积分: the grid workers' points ledger, computed from incidents, visits and patrols (``services.points``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.grid.choices_points import PointRule, PointSource


class PointEntry(models.Model):
    """One line of a worker's points (积分台账): a rule applied to one source, in the month it happened.

    ``(rule, source_kind, source_id, source_seq)`` is unique, so a recomputation updates the line instead
    of adding a second one. ``source_id`` is the incident's case number, or the visit's or patrol's id;
    ``source_seq`` tells apart the rounds of one incident (the audit sequence of the ``handle`` step a
    verification answers), 0 otherwise. ``area_code`` is the worker's grid when the line was computed (the
    scope the line is read in); ``at`` is when the event happened (its month is ``month``).
    """

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("grid worker"), on_delete=models.PROTECT,
                               related_name="point_entries")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)
    month = models.DateField(_("month"))
    rule = models.CharField(_("rule"), max_length=32, choices=PointRule.choices)
    points = models.IntegerField(_("points"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1)  # e.g. whole patrol hours
    source_kind = models.CharField(_("source"), max_length=16, choices=PointSource.choices)
    source_id = models.CharField(_("source id"), max_length=48)
    source_seq = models.PositiveIntegerField(_("step"), default=0)
    at = models.DateTimeField(_("happened at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["rule", "source_kind", "source_id", "source_seq"],
                                               name="point_entry_rule_source")]
        indexes = [models.Index(fields=["month", "worker"], name="point_entry_month_worker"),
                   models.Index(fields=["source_kind", "source_id"], name="point_entry_source")]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.month:%Y-%m} {self.rule} {self.points:+d}"


class PointCursor(models.Model):
    """Where the points tick left off: the last run, the day of the last full recompute, the ids read."""

    name = models.CharField(_("name"), max_length=32, unique=True)
    ran_at = models.DateTimeField(_("last run"), null=True, blank=True)
    full_day = models.DateField(_("last full recompute"), null=True, blank=True)
    # Highest audit entry and visit ids seen by the last run and by the run before it: a run reads the rows
    # after the older mark, so a row whose id was taken before a run but committed after it is still read.
    audit_seen = models.BigIntegerField(_("last audit entry seen"), default=0)
    audit_seen_before = models.BigIntegerField(_("audit entry seen the run before"), default=0)
    visit_seen = models.BigIntegerField(_("last visit seen"), default=0)
    visit_seen_before = models.BigIntegerField(_("visit seen the run before"), default=0)

    class Meta:
        verbose_name = _("points cursor")
        verbose_name_plural = _("points cursors")

    def __str__(self) -> str:
        return self.name
