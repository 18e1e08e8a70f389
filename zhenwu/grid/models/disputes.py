"""矛盾纠纷: a dispute (case kind ``JF``), its parties and its mediation sessions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.grid.choices import EscalationLevel
from zhenwu.grid.choices_disputes import DisputeKind, DisputeOutcome, PartyRole, ReferralTarget, SessionResult
from zhenwu.registry.choices import RiskLevel

USER = settings.AUTH_USER_MODEL


class Dispute(models.Model):
    """矛盾纠纷: one dispute in a grid, mediated at the grid, the village or the town.

    The state is the case's (``case.status``, process ``grid-dispute:v1``); this row keeps what the
    dispute is about, the level that answers for it now and the outcome.
    """

    case = models.OneToOneField("casework.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                                related_name="dispute")
    grid = models.ForeignKey("areas.Area", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("dispute type"), max_length=16, choices=DisputeKind.choices, db_index=True)
    risk = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW)
    level = models.CharField(_("responsible level"), max_length=8, choices=EscalationLevel.choices,
                             default=EscalationLevel.GRID, db_index=True)
    description = models.TextField(_("description"))
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    occurred_on = models.DateField(_("occurred on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=DisputeOutcome.choices, blank=True, default="")
    agreement = models.TextField(_("mediation agreement"), blank=True, default="")
    agreement_sha256 = models.CharField(_("agreement PDF (SHA-256)"), max_length=64, blank=True, default="")
    referral_to = models.CharField(_("referred to"), max_length=8, choices=ReferralTarget.choices, blank=True,
                                   default="")
    referral_reason = models.TextField(_("why mediation failed"), blank=True, default="")
    follow_up = models.TextField(_("follow-up visit record"), blank=True, default="")
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    followed_up_by = models.ForeignKey(USER, verbose_name=_("followed up by"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"


class DisputeParty(models.Model):
    """当事人: an applicant or respondent, from the registry (a resident or an enterprise) or new."""

    dispute = models.ForeignKey(Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("party role"), max_length=12, choices=PartyRole.choices)
    resident = models.ForeignKey("registry.Resident", verbose_name=_("resident"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    id_number = models.CharField(_("ID number or USCC"), max_length=18, blank=True, default="")
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, default="")
    address = models.CharField(_("address"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("dispute party")
        verbose_name_plural = _("dispute parties")
        ordering = ["dispute", "role", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class MediationSession(models.Model):
    """调解记录: one mediation session, with its mediators, place, minutes and result."""

    dispute = models.ForeignKey(Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE,
                                related_name="sessions")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    level = models.CharField(_("level"), max_length=8, choices=EscalationLevel.choices)
    mediators: models.ManyToManyField[Any, Any] = models.ManyToManyField(USER, verbose_name=_("mediators"),
                                                                         related_name="+")
    minutes = models.TextField(_("minutes"))
    result = models.CharField(_("result"), max_length=10, choices=SessionResult.choices)
    recorded_by = models.ForeignKey(USER, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["dispute", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.held_on}"
