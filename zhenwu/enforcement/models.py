"""一队执法: the power and responsibility lists (权责清单), officers and squads, penalty cases."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.enforcement.choices import (
    BandLevel,
    CaseSource,
    ConflictKind,
    DocumentKind,
    OriginDepartment,
    Parties,
    PaymentPlanKind,
    PaymentPlanStatus,
    PenaltyKind,
    PersonRole,
    Procedure,
    RemedyKind,
    RemedyOutcome,
    ServiceMethod,
)

USER = settings.AUTH_USER_MODEL


class PenaltyPower(models.Model):
    """行政处罚事项: one entry of the power list; its content lives in immutable versions."""

    code = models.CharField(_("power code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    department = models.CharField(_("origin department"), max_length=16, choices=OriginDepartment.choices,
                                  db_index=True)
    current_version = models.ForeignKey("PenaltyPowerVersion", verbose_name=_("current version"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("penalty power")
        verbose_name_plural = _("penalty powers")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PenaltyPowerVersion(models.Model):
    """One immutable version of a power: its legal basis, parties, bands and responsibilities.

    Cases keep the version they were decided under, so editing the list never changes a past case.
    """

    power = models.ForeignKey(PenaltyPower, verbose_name=_("penalty power"), on_delete=models.CASCADE,
                              related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    department = models.CharField(_("origin department"), max_length=16, choices=OriginDepartment.choices)
    law = models.CharField(_("law"), max_length=200)
    article = models.CharField(_("article"), max_length=40)
    clause = models.CharField(_("clause"), max_length=40, blank=True)
    parties = models.CharField(_("applicable parties"), max_length=16, choices=Parties.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("penalty power version")
        verbose_name_plural = _("penalty power versions")
        ordering = ["power", "-number"]
        constraints = [models.UniqueConstraint(fields=["power", "number"], name="powerversion_unique")]

    def __str__(self) -> str:
        return f"{self.power.code} v{self.number}"

    @property
    def basis(self) -> str:
        """The legal basis as it is cited: 《law》article clause."""
        return f"《{self.law}》{self.article}{self.clause}"


class DiscretionBand(models.Model):
    """自由裁量基准: one band of a power version, with its conditions and fine range (or other penalty)."""

    version = models.ForeignKey(PenaltyPowerVersion, verbose_name=_("penalty power version"),
                                on_delete=models.CASCADE, related_name="bands")
    level = models.CharField(_("band"), max_length=16, choices=BandLevel.choices)
    conditions = models.TextField(_("conditions"))
    fine_min = models.DecimalField(_("minimum fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField(_("maximum fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    other_penalty = models.CharField(_("other penalty"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("discretion band")
        verbose_name_plural = _("discretion bands")
        ordering = ["version", "fine_min"]
        constraints = [models.UniqueConstraint(fields=["version", "level"], name="band_unique_level")]

    def __str__(self) -> str:
        return f"{self.version} {self.get_level_display()}"


class Responsibility(models.Model):
    """责任事项: a duty attached to a power and the cases in which officers are held accountable (追责情形)."""

    version = models.ForeignKey(PenaltyPowerVersion, verbose_name=_("penalty power version"),
                                on_delete=models.CASCADE, related_name="responsibilities")
    duty = models.TextField(_("duty"))
    accountability = models.TextField(_("accountability cases"), blank=True)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["version", "id"]

    def __str__(self) -> str:
        return self.duty[:40]


class InspectionItem(models.Model):
    """检查事项: what a random inspection checks; it must have a legal basis."""

    code = models.CharField(_("item code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    department = models.CharField(_("origin department"), max_length=16, choices=OriginDepartment.choices)
    law = models.CharField(_("law"), max_length=200)
    article = models.CharField(_("article"), max_length=40)
    power = models.ForeignKey(PenaltyPower, verbose_name=_("penalty power"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="inspection_items")

    class Meta:
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# --- officers and squads ---------------------------------------------------------------------------

class Squad(models.Model):
    """执法中队: covers one area (片区) of the town and its grids."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    department = models.OneToOneField("accounts.Department", verbose_name=_("department"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="enforcement_squad")
    grids = models.ManyToManyField("areas.Area", verbose_name=_("grids"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("squad")
        verbose_name_plural = _("squads")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Officer(models.Model):
    """执法人员: a staff account with an enforcement certificate (执法证); an expired one cannot act."""

    user = models.OneToOneField(USER, verbose_name=_("account"), on_delete=models.CASCADE,
                                related_name="enforcement_officer")
    certificate_number = models.CharField(_("certificate number"), max_length=40, unique=True)
    certificate_valid_from = models.DateField(_("certificate valid from"))
    certificate_valid_until = models.DateField(_("certificate valid until"))
    squad = models.ForeignKey(Squad, verbose_name=_("squad"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="officers")
    area_code = models.CharField(_("area code"), max_length=18, db_index=True)

    class Meta:
        verbose_name = _("enforcement officer")
        verbose_name_plural = _("enforcement officers")
        ordering = ["certificate_number"]

    def __str__(self) -> str:
        return f"{self.user.full_name or self.user.username} ({self.certificate_number})"

    def certificate_valid_on(self, day: datetime.date) -> bool:
        return self.certificate_valid_from <= day <= self.certificate_valid_until


class ConflictDeclaration(models.Model):
    """回避申报: a party the officer declared a relation with and may not handle."""

    officer = models.ForeignKey(Officer, verbose_name=_("enforcement officer"), on_delete=models.CASCADE,
                                related_name="conflicts")
    kind = models.CharField(_("kind"), max_length=16, choices=ConflictKind.choices)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, db_index=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True, db_index=True)
    party_name = models.CharField(_("party name"), max_length=200)
    note = models.CharField(_("note"), max_length=200, blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["officer", "id"]

    def __str__(self) -> str:
        return f"{self.officer} ≠ {self.party_name}"


# --- penalty cases ---------------------------------------------------------------------------------

class PenaltyCase(models.Model):
    """行政处罚案件: the kernel's case (kind ZF) with the party, the power and the penalty."""

    case = models.OneToOneField("casework.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                                related_name="penalty")
    procedure = models.CharField(_("procedure"), max_length=16, choices=Procedure.choices)
    # The case's area and state, kept here by the services at filing and after every step, so that the officer's
    # list counts its tabs from one index (an index-only scan) instead of joining every case of the scope.
    area_code = models.CharField(_("area code"), max_length=24, blank=True, default="")
    status = models.CharField(_("status"), max_length=64, blank=True, default="")
    source = models.CharField(_("source"), max_length=20, choices=CaseSource.choices, default=CaseSource.PATROL)
    power_version = models.ForeignKey(PenaltyPowerVersion, verbose_name=_("penalty power version"),
                                      on_delete=models.PROTECT, related_name="+")
    party_is_organisation = models.BooleanField(_("party is an organisation"))
    party_name = models.CharField(_("party name"), max_length=200)
    party_id_number = models.CharField(_("ID number"), max_length=18, blank=True, db_index=True)
    party_uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True, db_index=True)
    resident = models.ForeignKey("registry.Resident", verbose_name=_("resident"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    facts = models.TextField(_("facts"), blank=True)
    band = models.CharField(_("band"), max_length=16, choices=BandLevel.choices, blank=True)
    penalty_kind = models.CharField(_("penalty"), max_length=16, choices=PenaltyKind.choices, blank=True)
    fine = models.DecimalField(_("fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    noticed_fine = models.DecimalField(_("fine in the prior notice (yuan)"), max_digits=12, decimal_places=2,
                                       null=True, blank=True)
    outside_band_reason = models.TextField(_("reason for leaving the band"), blank=True)
    major = models.BooleanField(_("major case"), default=False)
    hearing_held = models.BooleanField(_("hearing held"), default=False)
    defended = models.BooleanField(_("party stated and defended"), default=False)
    cash_on_spot = models.BooleanField(_("cash collected on the spot"), default=False)
    investigators = models.ManyToManyField(Officer, verbose_name=_("investigators"), blank=True,
                                           related_name="investigations")
    legal_reviewer = models.ForeignKey(USER, verbose_name=_("legal reviewer"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    noticed_penalty_kind = models.CharField(_("penalty in the prior notice"), max_length=16,
                                            choices=PenaltyKind.choices, blank=True)
    noticed_on = models.DateField(_("prior notice served on"), null=True, blank=True)
    defence_until = models.DateField(_("statement and defence period ends"), null=True, blank=True)
    hearing_right = models.BooleanField(_("right to a hearing"), default=False)
    hearing_request_until = models.DateField(_("hearing may be asked for until"), null=True, blank=True)
    hearing_ended_at = models.DateTimeField(_("hearing ended at"), null=True, blank=True)
    legal_reviewed_at = models.DateTimeField(_("legal review at"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    served_on = models.DateField(_("served on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    late_fee = models.DecimalField(_("late fee (yuan)"), max_digits=12, decimal_places=2, default=0)
    service_method = models.CharField(_("service method"), max_length=16, choices=ServiceMethod.choices, blank=True)
    service_recipient = models.CharField(_("served to"), max_length=200, blank=True)
    demand_served_on = models.DateField(_("payment demand served on"), null=True, blank=True)
    court_name = models.CharField(_("court"), max_length=200, blank=True)
    court_applied_on = models.DateField(_("applied to the court on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("penalty case")
        verbose_name_plural = _("penalty cases")
        indexes = [models.Index(fields=["status", "area_code", "procedure"], name="penaltycase_list",
                                opclasses=["varchar_pattern_ops"] * 3)]

    def __str__(self) -> str:
        return f"{self.case.number} {self.party_name}"


# --- the case file: numbered documents and records (案卷) ----------------------------------------------

class DocumentCounter(models.Model):
    """The last number of a document kind in a year: bumped in the issuing transaction, so gap-free."""

    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    year = models.PositiveIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="enf_doccounter_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class CaseDocument(models.Model):
    """执法文书: a numbered document issued on a case at its step; the PDF is drawn from the case's data."""

    penalty_case = models.ForeignKey(PenaltyCase, verbose_name=_("penalty case"), on_delete=models.CASCADE,
                                     related_name="documents")
    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    year = models.PositiveIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("document number"), max_length=60, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(USER, verbose_name=_("issued by"), null=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["issued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "seq"], name="enf_document_seq_unique")]

    def __str__(self) -> str:
        return self.number


class _Record(models.Model):
    """What an inquiry and an on-site inspection record share: when, where, who, the signatures."""

    penalty_case = models.ForeignKey(PenaltyCase, verbose_name=_("penalty case"), on_delete=models.CASCADE,
                                     related_name="%(class)ss")
    document = models.OneToOneField(CaseDocument, verbose_name=_("document"), on_delete=models.PROTECT,
                                    related_name="+")
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    place = models.CharField(_("place"), max_length=200)
    person_name = models.CharField(_("person"), max_length=100)
    person_role = models.CharField(_("person's role"), max_length=16, choices=PersonRole.choices)
    person_id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    officers = models.ManyToManyField(Officer, verbose_name=_("officers present"), related_name="+")
    person_signed_on = models.DateField(_("signed by the person on"), null=True, blank=True)
    refusal_note = models.CharField(_("why the person did not sign"), max_length=200, blank=True)
    officers_signed_on = models.DateField(_("signed by the officers on"))
    created_by = models.ForeignKey(USER, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return self.document.number


class InquiryRecord(_Record):
    """询问笔录: questions and answers, asked by at least two certified officers (Art. 42, 55)."""

    questions = models.JSONField(_("questions and answers"), default=list)

    class Meta(_Record.Meta):
        verbose_name = _("inquiry record")
        verbose_name_plural = _("inquiry records")


class InspectionRecord(_Record):
    """现场检查笔录: what the officers found on the spot, with the evidence taken there."""

    findings = models.TextField(_("findings"))
    evidence = models.JSONField(_("evidence (SHA-256)"), default=list, blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("on-site inspection record")
        verbose_name_plural = _("on-site inspection records")


class CollectiveDiscussion(models.Model):
    """集体讨论记录: the heads' collective discussion a major case needs before its decision (Art. 57)."""

    penalty_case = models.ForeignKey(PenaltyCase, verbose_name=_("penalty case"), on_delete=models.CASCADE,
                                     related_name="discussions")
    document = models.OneToOneField(CaseDocument, verbose_name=_("document"), on_delete=models.PROTECT,
                                    related_name="+")
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200)
    chair = models.CharField(_("chair"), max_length=100)
    participants = models.JSONField(_("participants"), default=list)
    opinions = models.TextField(_("opinions"))
    conclusion = models.TextField(_("conclusion"))
    created_by = models.ForeignKey(USER, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("collective discussion record")
        verbose_name_plural = _("collective discussion records")
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return self.document.number


class PaymentPlan(models.Model):
    """暂缓或者分期缴纳 (Art. 66): the party's request, the leader's answer and, for instalments, a schedule."""

    penalty_case = models.ForeignKey(PenaltyCase, verbose_name=_("penalty case"), on_delete=models.CASCADE,
                                     related_name="payment_plans")
    kind = models.CharField(_("kind"), max_length=16, choices=PaymentPlanKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=PaymentPlanStatus.choices,
                              default=PaymentPlanStatus.REQUESTED)
    reason = models.TextField(_("reason"))
    requested_on = models.DateField(_("requested on"))
    deferred_until = models.DateField(_("deferred until"), null=True, blank=True)
    requested_by = models.ForeignKey(USER, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    decided_by = models.ForeignKey(USER, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)

    class Meta:
        verbose_name = _("payment plan")
        verbose_name_plural = _("payment plans")
        ordering = ["penalty_case", "id"]

    def __str__(self) -> str:
        return f"{self.penalty_case} {self.kind} {self.status}"


class Instalment(models.Model):
    """One instalment of an approved plan: the amount due on a day, and when it was paid."""

    plan = models.ForeignKey(PaymentPlan, verbose_name=_("payment plan"), on_delete=models.CASCADE,
                             related_name="instalments")
    seq = models.PositiveSmallIntegerField(_("instalment"))
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["plan", "seq"]
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="enf_instalment_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id}#{self.seq}"


class Remedy(models.Model):
    """行政复议 or 行政诉讼 the party brought against the decision: while pending (filed_on to ended_on, both
    days included) the late fee does not run (Administrative Penalty Law Art. 73 para. 3). An outcome that
    annuls or lowers a fine already paid owes the party a refund (``refund``), recorded when made."""

    penalty_case = models.ForeignKey(PenaltyCase, verbose_name=_("penalty case"), on_delete=models.CASCADE,
                                     related_name="remedies")
    kind = models.CharField(_("kind"), max_length=16, choices=RemedyKind.choices)
    body = models.CharField(_("reconsideration body or court"), max_length=200)
    filed_on = models.DateField(_("filed on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=RemedyOutcome.choices, blank=True)
    fine_before = models.DecimalField(_("fine before the change (yuan)"), max_digits=12, decimal_places=2,
                                      null=True, blank=True)
    # 退还: what its outcome (annulled, or a lower fine) made repayable of what the party had already paid, and the
    # refund made (the day, the voucher's number); see services/remedies.py
    refund = models.DecimalField(_("refund owed (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    refunded_on = models.DateField(_("refunded on"), null=True, blank=True)
    refund_reference = models.CharField(_("refund voucher number"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("reconsideration or lawsuit")
        verbose_name_plural = _("reconsiderations and lawsuits")
        ordering = ["penalty_case", "filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.penalty_case} {self.kind} {self.filed_on}"


# Publication of decisions, 审管联动 follow-ups and 双随机一公开 live in their own modules (Django finds them through
# these imports).
from zhenwu.enforcement.models_hearing import HearingRecord  # noqa: E402
from zhenwu.enforcement.models_inspection import InspectionPlan, InspectionTarget  # noqa: E402
from zhenwu.enforcement.models_links import DecisionPublication, SupervisionFollowUp  # noqa: E402

__all__ = ["CaseDocument", "CollectiveDiscussion", "ConflictDeclaration", "DecisionPublication", "DiscretionBand",
           "DocumentCounter", "HearingRecord", "InquiryRecord", "InspectionItem", "InspectionPlan", "InspectionRecord",
           "InspectionTarget", "Instalment", "Officer", "PaymentPlan", "PenaltyCase", "PenaltyPower",
           "PenaltyPowerVersion", "Remedy", "Responsibility", "Squad", "SupervisionFollowUp"]
