"""Base data (人地事物组织): households, residents, enterprises, places, cameras, grid staffing.

Every row carries ``area_code``: the code of the grid it lies in (a copy of ``grid.code``), so that
"everything in my scope" is one indexed prefix filter, as for cases.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.registry.choices import (
    CareTag,
    GridDuty,
    HouseholdKind,
    OperatingStatus,
    PlaceKind,
    Relation,
    ResidentStatus,
    RiskLevel,
    Sex,
)


class GridPlaced(models.Model):
    """Common fields: the grid the row belongs to, its code for scope, a location, timestamps."""

    grid = models.ForeignKey("areas.Area", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Household(GridPlaced):
    """户: a household at an address, with its members."""

    number = models.CharField(_("household number"), max_length=32, unique=True)
    address = models.CharField(_("address"), max_length=200, db_index=True)
    kind = models.CharField(_("household type"), max_length=16, choices=HouseholdKind.choices)
    head = models.ForeignKey("Resident", verbose_name=_("head of household"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.address}"


class Resident(GridPlaced):
    """居民: a person, identified by the ID number; birth date and sex derive from it."""

    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=50, db_index=True)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, default="", db_index=True)
    household = models.ForeignKey(Household, verbose_name=_("household"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="members")
    relation = models.CharField(_("relation to head"), max_length=16, choices=Relation.choices,
                                blank=True, default="")
    status = models.CharField(_("residence status"), max_length=16, choices=ResidentStatus.choices)
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    origin = models.CharField(_("place of origin"), max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["area_code", "name"]
        indexes = [models.Index(fields=["area_code", "status"], name="resident_scope_status")]

    def __str__(self) -> str:
        return self.name


class ResidentTag(models.Model):
    """One care group a resident belongs to (独居老人, 残疾人, 低保, …)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(_("tag"), max_length=32, choices=CareTag.choices, db_index=True)

    class Meta:
        verbose_name = _("resident tag")
        verbose_name_plural = _("resident tags")
        constraints = [models.UniqueConstraint(fields=["resident", "tag"], name="resident_tag_unique")]

    def __str__(self) -> str:
        return self.get_tag_display()


class Enterprise(GridPlaced):
    """市场主体: an enterprise or individual business, identified by its USCC."""

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    industry = models.CharField(_("industry"), max_length=100, blank=True, default="")
    address = models.CharField(_("address"), max_length=200, db_index=True)
    operating_status = models.CharField(_("operating status"), max_length=16, choices=OperatingStatus.choices,
                                        default=OperatingStatus.OPERATING)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW)
    abnormal_listed = models.BooleanField(_("listed for abnormal operation"), default=False)
    complaint_count = models.PositiveIntegerField(_("complaints"), default=0)
    mobile = models.CharField(_("contact mobile"), max_length=11, blank=True, default="")

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["area_code", "name"]

    def __str__(self) -> str:
        return self.name


class Place(GridPlaced):
    """场所: a shop, rental house, school, hospital, factory, construction site, …"""

    kind = models.CharField(_("kind"), max_length=24, choices=PlaceKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    address = models.CharField(_("address"), max_length=200, db_index=True)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="places")
    contact_name = models.CharField(_("contact"), max_length=50, blank=True, default="")
    contact_mobile = models.CharField(_("contact mobile"), max_length=11, blank=True, default="")

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["area_code", "name"]

    def __str__(self) -> str:
        return self.name


class Camera(GridPlaced):
    """视频监控点: a camera from one of the town's video systems."""

    code = models.CharField(_("camera code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    source_system = models.CharField(_("source system"), max_length=100)
    stream_url = models.CharField(_("stream URL"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class GridAssignment(models.Model):
    """Who serves a grid, in which duty, from when to when (history is kept: ended rows stay)."""

    grid = models.ForeignKey("areas.Area", verbose_name=_("grid"), on_delete=models.PROTECT,
                             related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT,
                             related_name="grid_assignments")
    duty = models.CharField(_("duty"), max_length=16, choices=GridDuty.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("grid assignment")
        verbose_name_plural = _("grid assignments")
        ordering = ["grid__code", "duty", "-started_on"]
        indexes = [models.Index(fields=["grid", "ended_on"], name="assignment_current")]

    def __str__(self) -> str:
        return f"{self.grid} · {self.user} · {self.get_duty_display()}"


class ImportStatus(models.TextChoices):
    """Where an import job stands: checked (dry run) first, imported only on an explicit choice."""

    QUEUED = "queued", _("Queued")
    VALIDATING = "validating", _("Checking")
    VALIDATED = "validated", _("Checked")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    REFUSED = "refused", _("Not imported (rows were rejected)")
    FAILED = "failed", _("File unreadable")


class ImportChoice(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    VALID_ONLY = "valid_only", _("Valid rows only")


class ImportJob(models.Model):
    """批量导入: one uploaded file of one kind, its check report and, once chosen, its import.

    The file is stored content-addressed (``file_name`` in default storage, ``file_sha256``), so
    the import re-reads exactly the bytes that were checked.
    """

    kind = models.CharField(_("kind"), max_length=16)
    original_name = models.CharField(_("file name"), max_length=255, blank=True, default="")
    file_name = models.CharField(_("stored file"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices,
                              default=ImportStatus.QUEUED)
    choice = models.CharField(_("choice"), max_length=16, choices=ImportChoice.choices, blank=True, default="")
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    rejected_rows = models.PositiveIntegerField(_("rejected rows"), default=0)
    imported_rows = models.PositiveIntegerField(_("imported rows"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.IMPORTING)

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.processed_rows / self.total_rows)) if self.total_rows else 0
