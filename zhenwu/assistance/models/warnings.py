"""智能+预警 (§3): medical-insurance settlements and life events, the rules over them, and the warnings
they raise — each a timed task (a case of kind ``YJ``) for the village worker of the household's grid,
ending in a home visit with a record, photos and an outcome.

A person's status for the thresholds is the status of the assistance file of the resident's household
(none without a file). Settlements and warnings are sensitive personal data: see ``policy_warnings``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import AssistanceStatus
from zhenwu.assistance.choices_warnings import (
    ImportKind,
    ImportSource,
    LifeEventKind,
    WarningOutcome,
    WarningReason,
    WarningState,
)


class SettlementImport(models.Model):
    """One import of settlements or life events (a file or an API call), all or nothing."""

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    source = models.CharField(_("source"), max_length=8, choices=ImportSource.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True, default="")
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True, default="")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)  # the importer's scope
    rows = models.PositiveIntegerField(_("rows"), default=0)
    imported = models.PositiveIntegerField(_("rows imported"), default=0)
    duplicates = models.PositiveIntegerField(_("rows already imported"), default=0)
    warnings_raised = models.PositiveIntegerField(_("warnings raised"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("settlement import")
        verbose_name_plural = _("settlement imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d} ({self.imported})"


class Settlement(models.Model):
    """医保结算: one settled medical bill of a person — the total and what the person paid themself."""

    number = models.CharField(_("settlement number"), max_length=40, unique=True)
    person = models.ForeignKey("registry.Resident", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="+")
    date = models.DateField(_("settlement date"))
    total = models.DecimalField(_("total cost"), max_digits=12, decimal_places=2)
    out_of_pocket = models.DecimalField(_("out-of-pocket"), max_digits=12, decimal_places=2)
    batch = models.ForeignKey(SettlementImport, verbose_name=_("import"), on_delete=models.PROTECT,
                              related_name="settlements")

    class Meta:
        verbose_name = _("medical settlement")
        verbose_name_plural = _("medical settlements")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date", "person"], name="settlement_window"),
                   models.Index(fields=["person", "date"], name="settlement_person")]
        constraints = [models.CheckConstraint(condition=models.Q(out_of_pocket__gte=0, total__gte=0),
                                              name="settlement_amounts_not_negative")]

    def __str__(self) -> str:
        return f"{self.number} {self.date} {self.out_of_pocket}"


class LifeEvent(models.Model):
    """A death, a disability or a sudden loss of income reported for a person."""

    person = models.ForeignKey("registry.Resident", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("event"), max_length=16, choices=LifeEventKind.choices)
    date = models.DateField(_("date of the event"))
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    batch = models.ForeignKey(SettlementImport, verbose_name=_("import"), on_delete=models.PROTECT,
                              related_name="events")

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "kind", "date"], name="lifeevent_once")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.date}"


class WarningRule(models.Model):
    """The threshold of one status over its rolling window; without a row the settings' defaults hold."""

    status = models.CharField(_("assistance status"), max_length=16, choices=AssistanceStatus.choices, unique=True)
    threshold = models.DecimalField(_("out-of-pocket threshold (yuan)"), max_digits=12, decimal_places=2)
    window_days = models.PositiveIntegerField(_("rolling window (days)"))
    active = models.BooleanField(_("active"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("warning rule")
        verbose_name_plural = _("warning rules")
        ordering = ["status"]

    def __str__(self) -> str:
        return f"{self.status} ≥ {self.threshold} / {self.window_days}"


class EarlyWarning(models.Model):
    """预警: one person flagged by a rule or an event; its task is the case (kind YJ) held by the village
    worker of the household's grid until the home visit closes it."""

    case = models.OneToOneField("casework.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                                related_name="assistance_warning")
    person = models.ForeignKey("registry.Resident", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="+")
    household = models.ForeignKey("registry.Household", verbose_name=_("household"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)  # the household's grid
    reason = models.CharField(_("reason"), max_length=16, choices=WarningReason.choices)
    status_at = models.CharField(_("assistance status when raised"), max_length=16,
                                 choices=AssistanceStatus.choices)
    threshold = models.DecimalField(_("threshold"), null=True, blank=True, max_digits=12, decimal_places=2)
    window_start = models.DateField(_("window from"), null=True, blank=True)
    as_of = models.DateField(_("as of"))
    amount = models.DecimalField(_("out-of-pocket in the window"), null=True, blank=True, max_digits=12,
                                 decimal_places=2)
    event = models.OneToOneField(LifeEvent, verbose_name=_("life event"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="warning")
    state = models.CharField(_("state"), max_length=8, choices=WarningState.choices, default=WarningState.OPEN,
                             db_index=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=WarningOutcome.choices, blank=True, default="")
    application_number = models.CharField(_("application number"), max_length=48, blank=True, default="")
    referred_to = models.CharField(_("referred to"), max_length=100, blank=True, default="")
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "reason", "as_of"], name="warning_person")]
        constraints = [models.UniqueConstraint(fields=["person"], name="warning_one_open_spending",
                                               condition=models.Q(state="open", reason="spending"))]

    def __str__(self) -> str:
        return f"{self.case_id} {self.reason} {self.state}"


class HomeVisit(models.Model):
    """入户核实: the village worker's visit that closes a warning — what was found, photos, the outcome."""

    warning = models.OneToOneField(EarlyWarning, verbose_name=_("warning"), on_delete=models.CASCADE,
                                   related_name="visit")
    visited_on = models.DateField(_("visited on"))
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("visited by"), on_delete=models.PROTECT,
                                   related_name="+")
    record = models.TextField(_("visit record"))
    photos = models.JSONField(_("photos (SHA-256)"), default=list, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")

    def __str__(self) -> str:
        return f"{self.warning_id} {self.visited_on}"
