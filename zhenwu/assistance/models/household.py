"""一户一档: a household's assistance file and the history of its status.

The file hangs off the registry's household; its members are the household's residents, so scope is the
household's grid (``area_code``), as everywhere else. Everything sensitive about a household hangs off
its file, and only civil-affairs staff and the village worker of the household's grid may read it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import AssistanceStatus


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
