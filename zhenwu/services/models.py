"""一窗受理: versioned service items, applications (办件), ratings (好差评), rectification and
supervision tasks. Handlers and A/B角 stand-ins are the kernel's (``casework.Case.handler``, ``StandIn``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.services.choices import (
    ApplicantKind,
    ApplicantScope,
    ApplicationChannel,
    DeliveryMode,
    ItemKind,
    RatingChannel,
    RatingLevel,
    RectificationStatus,
    Result,
    SupervisionStatus,
)

USER = settings.AUTH_USER_MODEL


class ServiceItem(models.Model):
    """政务服务事项: a catalogue entry; its content lives in immutable versions."""

    code = models.CharField(_("item code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    department = models.CharField(_("department"), max_length=60, db_index=True)
    # The current version's aliases joined by "|" (a copy for search, like name and department).
    aliases = models.CharField(_("aliases"), max_length=500, blank=True)
    current_version = models.ForeignKey("ServiceItemVersion", verbose_name=_("current version"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ServiceItemVersion(models.Model):
    """One immutable version of an item's elements; applications keep the version they were filed under."""

    item = models.ForeignKey(ServiceItem, verbose_name=_("service item"), on_delete=models.CASCADE,
                             related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    department = models.CharField(_("department"), max_length=60)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    materials = models.JSONField(_("materials"), default=list)
    legal_limit_days = models.PositiveIntegerField(_("legal time limit (working days)"))
    promised_limit_days = models.PositiveIntegerField(_("promised time limit (working days, 0 = on the spot)"))
    fees = models.CharField(_("fees"), max_length=200)
    online = models.BooleanField(_("online application allowed"))
    proxy = models.BooleanField(_("village proxy allowed"))
    delivery = models.JSONField(_("delivery modes"), default=list)
    supervision = models.BooleanField(_("needs follow-up supervision"))
    chain = models.JSONField(_("review chain"), default=list)
    applicant = models.CharField(_("applicants"), max_length=16, choices=ApplicantScope.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("service item version")
        verbose_name_plural = _("service item versions")
        ordering = ["item", "-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="itemversion_unique")]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number}"

    @property
    def instant(self) -> bool:
        """即办件: finished on the spot."""
        return self.promised_limit_days == 0

    def material_names(self) -> list[str]:
        return [m["name"] for m in self.materials]


class Application(models.Model):
    """一窗受理 application (办件); the case holds number, status, deadline and area."""

    case = models.OneToOneField("casework.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                                related_name="application")
    item_version = models.ForeignKey(ServiceItemVersion, verbose_name=_("item version"),
                                     on_delete=models.PROTECT, related_name="applications")
    channel = models.CharField(_("channel"), max_length=8, choices=ApplicationChannel.choices, db_index=True)
    applicant_kind = models.CharField(_("applicant kind"), max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("applicant name"), max_length=200, db_index=True)
    applicant_id_number = models.CharField(_("ID number"), max_length=18, blank=True, db_index=True)
    applicant_uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True,
                                      db_index=True)
    applicant_mobile = models.CharField(_("mobile"), max_length=11, db_index=True)
    applicant_user = models.ForeignKey(USER, verbose_name=_("applicant account"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="applications")
    filed_by = models.ForeignKey(USER, verbose_name=_("filed by"), null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    consent_by = models.CharField(_("consent given by"), max_length=100, blank=True)
    consent_method = models.CharField(_("consent method"), max_length=100, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    first_contact = models.ForeignKey(USER, verbose_name=_("first-contact clerk"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    materials = models.JSONField(_("submitted materials"), default=list)
    supplement_missing = models.JSONField(_("missing materials"), default=list, blank=True)
    pause_reason = models.TextField(_("special procedure reason"), blank=True)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, blank=True)
    result_reason = models.TextField(_("decision reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    delivery_mode = models.CharField(_("delivery mode"), max_length=12, choices=DeliveryMode.choices,
                                     blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    pickup_signature = models.CharField(_("pick-up signature"), max_length=100, blank=True)
    result_attachment = models.CharField(_("electronic result (SHA-256)"), max_length=64, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # 查询码: a random code printed on the acceptance notice and sent by SMS; only its keyed hash is kept.
    tracking_code_hash = models.CharField(_("tracking code (keyed hash)"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    # Set by the service that issues a tracking code, for the caller to print it once; never stored.
    new_tracking_code: str = ""

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.applicant_name}"

    def material_entries(self) -> list[dict[str, Any]]:
        return list(self.materials)

    @property
    def handler(self) -> Any:
        """Who holds the application now: the kernel's case handler (``Case.handler``; changed through
        ``casework.services.assignment``). Select ``case__handler`` to read it without a query."""
        return self.case.handler


class Rating(models.Model):
    """好差评: one rating per application, from any channel."""

    application = models.OneToOneField(Application, verbose_name=_("application"), on_delete=models.CASCADE,
                                       related_name="rating")
    level = models.PositiveSmallIntegerField(_("level"), choices=RatingLevel.choices, db_index=True)
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("rating channel"), max_length=8, choices=RatingChannel.choices)
    rated_by = models.ForeignKey(USER, verbose_name=_("rated by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_level_display()}"


class RectificationTask(models.Model):
    """差评整改: opened by a 不满意/非常不满意 rating; verify, rectify, answer, call back."""

    case = models.OneToOneField("casework.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                                related_name="rectification_task")  # kind ZG (task_process.py)
    rating = models.OneToOneField(Rating, verbose_name=_("rating"), on_delete=models.CASCADE,
                                  related_name="rectification")
    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="rectifications")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN, db_index=True)
    verify_due_at = models.DateTimeField(_("verify by"))
    rectify_due_at = models.DateTimeField(_("rectify and answer by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(USER, verbose_name=_("verified by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    verification = models.TextField(_("verification finding"), blank=True)
    reply = models.TextField(_("reply to the applicant"), blank=True)
    replied_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    callback = models.TextField(_("call-back record"), blank=True)
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    called_back_by = models.ForeignKey(USER, verbose_name=_("called back by"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_status_display()}"


class SupervisionTask(models.Model):
    """审管联动: follow-up supervision of an approval, for the grid of the applicant."""

    case = models.OneToOneField("casework.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                                related_name="supervision_task")  # kind SG (task_process.py)
    application = models.OneToOneField(Application, verbose_name=_("application"), on_delete=models.CASCADE,
                                       related_name="supervision_task")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)
    status = models.CharField(_("status"), max_length=8, choices=SupervisionStatus.choices,
                              default=SupervisionStatus.OPEN, db_index=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(USER, verbose_name=_("done by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("supervision task")
        verbose_name_plural = _("supervision tasks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.area_code}"


class LimitCounter(models.Model):
    """An attempt counter shared by every web process (tracking per IP and per case number): incremented
    atomically in the database when no Redis cache is configured; expired rows are purged by the tick."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("attempt counter")
        verbose_name_plural = _("attempt counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class RatingCode(models.Model):
    """好差评 from the tracking page: a one-time code sent by SMS to the applicant's mobile (kept hashed)."""

    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="rating_codes")
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating code")
        verbose_name_plural = _("rating codes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.created_at:%Y-%m-%d %H:%M}"


class RatingPad(models.Model):
    """窗口评价器: a tablet at a clerk's window, paired by a secret address. The clerk opens it for one
    handed-out case; the applicant taps the level there (the clerk never chooses it)."""

    clerk = models.OneToOneField(USER, verbose_name=_("window clerk"), on_delete=models.CASCADE,
                                 related_name="rating_pad")
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    application = models.ForeignKey(Application, verbose_name=_("application shown"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    paired_at = models.DateTimeField(_("paired at"))

    class Meta:
        verbose_name = _("rating pad")
        verbose_name_plural = _("rating pads")

    def __str__(self) -> str:
        return f"{self.clerk}"
