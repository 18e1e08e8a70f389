"""网格事件: an incident's own fields beside its kernel case (status, clock, handler, audit are the case's)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.casework.choices import DeadlineUnit
from zhenwu.grid.choices import EscalationLevel, ExtensionStatus, Priority, Source


class Incident(models.Model):
    """One reported incident. The grid is ``case.area_code``; the point is stored in WGS84."""

    case = models.OneToOneField("casework.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                                related_name="incident")
    category = models.ForeignKey("grid.Category", verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="incidents")
    category_version = models.ForeignKey("grid.CategoryVersion", verbose_name=_("category version"),
                                         on_delete=models.PROTECT, related_name="incidents")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    lng = models.FloatField(_("longitude (WGS84)"), null=True, blank=True)
    lat = models.FloatField(_("latitude (WGS84)"), null=True, blank=True)
    crs_in = models.CharField(_("coordinate system reported"), max_length=8, blank=True, default="wgs84")
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reporter"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="grid_reports")
    reporter_name = models.CharField(_("reporter name"), max_length=100, blank=True)
    reporter_mobile = models.CharField(_("reporter mobile"), max_length=11, blank=True)
    photos = models.JSONField(_("photos (SHA-256)"), default=list, blank=True)
    result_photos = models.JSONField(_("result photos (SHA-256)"), default=list, blank=True)
    verify_photos = models.JSONField(_("verification photos (SHA-256)"), default=list, blank=True)
    reported_at = models.DateTimeField(_("reported at (client time)"))
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged")
    escalation_level = models.CharField(_("escalation level"), max_length=8, choices=EscalationLevel.choices,
                                        default=EscalationLevel.GRID)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    rework_count = models.PositiveIntegerField(_("rework count"), default=0)
    # Copy of the case's grid (immutable: a case never changes area), so that the queue filters and counts
    # on the incident's own columns, without joining the case.
    area_code = models.CharField(_("area code"), max_length=24, default="")
    # Copy of "the case is not finished" for the duplicate check's and the queue's indexes (kept by the services).
    is_open = models.BooleanField(_("open"), default=True)
    # Copies of the case's state and running clock, set at filing and on every step (``services.incidents.
    # queue_columns``), so that the queue's status tabs and light counts read the incident alone:
    # red when ``due_at`` < now, yellow from ``yellow_at`` (``casework.deadlines.yellow_from``), green before.
    status = models.CharField(_("status"), max_length=24, default="reported")
    due_at = models.DateTimeField(_("due at (running deadline)"), null=True, blank=True)
    yellow_at = models.DateTimeField(_("light turns yellow at"), null=True, blank=True)
    evaluation = models.PositiveSmallIntegerField(_("evaluation (1–5)"), null=True, blank=True)
    evaluation_note = models.CharField(_("evaluation note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("grid incident")
        verbose_name_plural = _("grid incidents")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["category", "lat", "lng"], name="grid_incident_dup",
                                include=["created_at"], condition=models.Q(is_open=True)),
                   models.Index(fields=["reporter", "-created_at"], name="grid_incident_reporter"),
                   models.Index(fields=["is_open", "area_code"], name="grid_incident_queue"),
                   models.Index(fields=["area_code", "status"], name="grid_incident_tabs"),
                   models.Index(fields=["area_code", "due_at", "yellow_at"], name="grid_incident_lights",
                                condition=models.Q(due_at__isnull=False)),
                   models.Index(fields=["-created_at", "-id"], name="grid_incident_created")]

    def __str__(self) -> str:
        return f"{self.case.number if self.case_id else '—'} {self.description[:30]}"


class IncidentExtension(models.Model):
    """延期申请: the handler asks for more time; the dispatcher approves (the deadline moves) or refuses."""

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.CASCADE,
                                 related_name="extensions")
    unit = models.CharField(_("unit"), max_length=16, choices=DeadlineUnit.choices)
    value = models.PositiveIntegerField(_("extension"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=8, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at"]
        constraints = [models.UniqueConstraint(fields=["incident"], condition=models.Q(status="pending"),
                                               name="grid_one_pending_extension")]

    def __str__(self) -> str:
        return f"{self.incident_id} +{self.value} {self.unit}"


class IncidentCount(models.Model):
    """How many incidents of a grid are in each state: the queue's status tabs without counting a million rows.

    Kept by the database itself (triggers on ``grid_incident``, migration ``grid.0003``): every insert, delete and
    change of an incident's ``status`` or ``area_code`` moves its count in the same transaction, whatever wrote
    it (services, the demo's bulk writes, raw SQL). Nothing in Python writes here."""

    area_code = models.CharField(_("area code"), max_length=24)
    status = models.CharField(_("status"), max_length=24)
    n = models.IntegerField(_("incidents"), default=0)

    class Meta:
        verbose_name = _("incident count")
        verbose_name_plural = _("incident counts")
        constraints = [models.UniqueConstraint(fields=["area_code", "status"], name="grid_incidentcount_key")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.status}: {self.n}"
