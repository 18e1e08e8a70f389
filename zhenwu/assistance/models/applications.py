"""Assistance applications (救助申请) and their reviews: the pillar's row of a ``JZ`` case.

The case (``casework.Case``) holds the state, the deadline and the audit chain; this row holds what each
step recorded: the data check, the home survey (form and photos), the village appraisal, the publicity, the
decision and the periodic reviews. It moves only through ``services/applications.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import ApplicationKind, Channel, ConsentMethod, Decision


class AssistanceApplication(models.Model):
    """救助申请: one household's application for one kind of assistance."""

    case = models.OneToOneField("casework.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                                related_name="assistance_application")
    file = models.ForeignKey("assistance.AssistanceFile", verbose_name=_("assistance file"),
                             on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(_("assistance kind"), max_length=16, choices=ApplicationKind.choices, db_index=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    applicant = models.ForeignKey("registry.Resident", verbose_name=_("applicant"), on_delete=models.PROTECT,
                                  related_name="+")
    applicant_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant's account"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    hall_number = models.CharField(_("service-hall application"), max_length=40, blank=True, default="",
                                   db_index=True)  # the 一窗受理 办件 it came from (window channel)
    reason = models.TextField(_("reason for applying"))
    consent_method = models.CharField(_("consent"), max_length=16, choices=ConsentMethod.choices, blank=True,
                                      default="")
    consent_by = models.CharField(_("consent given by"), max_length=50, blank=True, default="")
    # 家庭经济状况核对: the comparison of declared and imported income, as computed at the step
    check_result = models.JSONField(_("economic check"), default=dict, blank=True)
    # 入户调查: the survey form and its photos (SHA-256 of attachments on the case)
    survey = models.JSONField(_("home survey"), default=dict, blank=True)
    survey_photos = models.JSONField(_("survey photos"), default=list, blank=True)
    # 民主评议: the village appraisal record
    appraisal = models.JSONField(_("village appraisal"), default=dict, blank=True)
    amount = models.DecimalField(_("monthly amount (yuan)"), max_digits=10, decimal_places=2, null=True,
                                 blank=True)  # proposed at the appraisal, published, confirmed
    publicity_from = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_until = models.DateField(_("publicity until"), null=True, blank=True)
    objections = models.TextField(_("objections during publicity"), blank=True, default="")
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True, default="")
    decision_reason = models.CharField(_("decision reason"), max_length=500, blank=True, default="")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    paid_from = models.DateField(_("paid from"), null=True, blank=True)
    reviews = models.JSONField(_("periodic reviews"), default=list, blank=True)  # [{on, by, outcome, note}]
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assistance application")
        verbose_name_plural = _("assistance applications")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.case.number if self.case_id else f"{self.kind} (unfiled)"
