"""一队执法's records facing outwards: the publication of decisions (行政处罚决定公开) and the follow-up of the
service hall's 审管联动 tasks. Imported by ``models.py`` (Django finds the models there)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.enforcement.choices import FollowUpResult, OverturnKind, PenaltyKind, PublicationStatus

USER = settings.AUTH_USER_MODEL


class DecisionPublication(models.Model):
    """行政处罚决定公开 (Administrative Penalty Law Art. 39, 48): one decided general-procedure case on the
    public pages.

    Made ``pending`` when the case is decided, with the day it must be published by; published with a
    snapshot of what the public sees (the party's name masked for a citizen, shown for an organisation; no
    ID number ever); when the decision is overturned it is withdrawn — the page stays, marked 已撤销 with
    the reason. The deadlines are checked by the supervision list (``selectors_links.publication_overdue``).
    """

    penalty = models.OneToOneField("enforcement.PenaltyCase", verbose_name=_("penalty case"),
                                   on_delete=models.CASCADE, related_name="publication")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=PublicationStatus.choices,
                              default=PublicationStatus.PENDING, db_index=True)
    due_on = models.DateField(_("to be published by"))
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True, db_index=True)
    party_shown = models.CharField(_("party as published"), max_length=200, blank=True)
    power_code = models.CharField(_("power code"), max_length=40, blank=True)
    power_name = models.CharField(_("power"), max_length=200, blank=True)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    penalty_kind = models.CharField(_("penalty"), max_length=16, choices=PenaltyKind.choices, blank=True)
    fine = models.DecimalField(_("fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    decided_on = models.DateField(_("decided on"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(USER, verbose_name=_("published by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    overturn_kind = models.CharField(_("overturned by"), max_length=32, choices=OverturnKind.choices, blank=True)
    overturned_on = models.DateField(_("overturned on"), null=True, blank=True)
    withdraw_due_on = models.DateField(_("to be withdrawn by"), null=True, blank=True)
    overturn_recorded_by = models.ForeignKey(USER, verbose_name=_("overturn recorded by"), null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(USER, verbose_name=_("withdrawn by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        verbose_name = _("decision publication")
        verbose_name_plural = _("decision publications")
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="publication_status_due"),
                   models.Index(fields=["status", "withdraw_due_on"], name="publication_withdraw_due")]

    def __str__(self) -> str:
        return self.decision_number or f"#{self.pk}"


class SupervisionFollowUp(models.Model):
    """审管联动跟进: the service hall's supervision task (its case, kind SG) as it reached an officer — the
    officer of the squad covering the applicant's grid — and how it ended: an inspection record (no problem,
    or a problem ordered to be put right) or a penalty case. Its state is the SG case's (待跟进 / 已跟进)."""

    case = models.OneToOneField("casework.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                                related_name="enforcement_followup")
    squad = models.ForeignKey("enforcement.Squad", verbose_name=_("squad"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="followups")
    officer = models.ForeignKey("enforcement.Officer", verbose_name=_("enforcement officer"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="followups")
    party_name = models.CharField(_("party name"), max_length=200, blank=True)  # the applicant
    party_id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    party_uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=FollowUpResult.choices, blank=True, db_index=True)
    record = models.TextField(_("inspection record"), blank=True)
    penalty = models.ForeignKey("enforcement.PenaltyCase", verbose_name=_("penalty case"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(USER, verbose_name=_("ended by"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision follow-up")
        verbose_name_plural = _("supervision follow-ups")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.case.number
