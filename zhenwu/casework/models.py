"""The kernel's tables: calendar, process definitions, cases and their deadlines, audit chain,
case-number counters, attachments and the notifications outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.casework.choices import (
    CalendarSource,
    Channel,
    DayKind,
    DeadlineUnit,
    Light,
    OutboxStatus,
    SupervisionPriority,
    UrgeLevel,
)


class CalendarYear(models.Model):
    """A year whose State Council holiday schedule is known (confirmed); other years fall back to Mon–Fri."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=24, choices=CalendarSource.choices)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One exception to the Monday–Friday week: a holiday (off) or a 调休 working day (on)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class ProcessDefinitionRecord(models.Model):
    """A process definition stored as JSON, so a town can edit a chain in the admin.

    A record overrides the built-in definition with the same key; it is validated on save.
    """

    key = models.CharField(_("key"), max_length=64, unique=True)
    definition = models.JSONField(_("definition"))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("process definition")
        verbose_name_plural = _("process definitions")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class Case(models.Model):
    """案件/办件: the kernel half of every application, incident and penalty case.

    Kind apps hold a OneToOne to it. ``status`` and ``version`` change only through
    ``transition()`` (compare-and-set), never through ``save()``.
    """

    number = models.CharField(_("case number"), max_length=48, unique=True)
    kind = models.CharField(_("kind"), max_length=8)
    process = models.CharField(_("process"), max_length=64)
    status = models.CharField(_("status"), max_length=64, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)
    town_code = models.CharField(_("town code"), max_length=9, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    deadline_unit = models.CharField(_("deadline unit"), max_length=16, choices=DeadlineUnit.choices,
                                     blank=True)
    deadline_limit = models.PositiveIntegerField(_("time limit"), null=True, blank=True)
    deadline_started_at = models.DateTimeField(_("deadline started at"), null=True, blank=True)
    deadline_due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    deadline_stopped_at = models.DateTimeField(_("deadline stopped at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    paused_total = models.DurationField(_("total paused time"), null=True, blank=True)
    # The state a pause (a ``pauses_clock`` state) was entered from, where the kernel's ``resume`` returns;
    # empty when the case is not paused. Set and cleared by transition() only.
    paused_from = models.CharField(_("paused from"), max_length=64, blank=True, default="", db_default="")
    light = models.CharField(_("light"), max_length=8, choices=Light.choices, blank=True, db_index=True)
    deadline_unconfirmed = models.BooleanField(_("deadline unconfirmed"), default=False)
    # Who holds the case now (docs/casework.md "Handler and assignment"): a named person, or a department /
    # squad whose members' queue has it; both empty = the queue of whoever holds the current step's role.
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("current handler"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="cases_held")
    handler_unit = models.ForeignKey("accounts.Department", verbose_name=_("handling department"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="cases_held")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "status"], name="case_kind_status"),
                   models.Index(fields=["created_at"], name="case_created"),
                   # Supervision: live deadlines only (overdue and at-risk lists and counts of every kind).
                   models.Index(fields=["deadline_due_at"], name="case_live_due",
                                include=["kind", "paused_at", "light", "area_code"],
                                condition=models.Q(deadline_due_at__isnull=False, deadline_stopped_at__isnull=True)),
                   models.Index(fields=["deadline_stopped_at"], name="case_stopped",
                                condition=models.Q(deadline_stopped_at__isnull=False))]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def deadline_live(self) -> bool:
        return self.deadline_due_at is not None and self.deadline_stopped_at is None


class CaseHandoff(models.Model):
    """One change of who holds a case (the history of handlers): to whom, by whom, why, when."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="handoffs")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handler"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    handler_unit = models.ForeignKey("accounts.Department", verbose_name=_("handling department"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    previous = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("previous handler"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("change of handler")
        verbose_name_plural = _("changes of handler")
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.handler or self.handler_unit or '—'}"


class StandIn(models.Model):
    """A/B角: ``stand_in`` may act for ``user`` on the cases ``user`` holds while ``user`` is away (from … until)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handler"), on_delete=models.CASCADE,
                             related_name="stand_ins")
    stand_in = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("stand-in"), on_delete=models.CASCADE,
                                 related_name="standing_in_for")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stand-in (A/B role)")
        verbose_name_plural = _("stand-ins (A/B roles)")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["stand_in", "ends_at"], name="standin_cover")]

    def __str__(self) -> str:
        return f"{self.user} → {self.stand_in}"


class CasePause(models.Model):
    """One pause of a case's clock (补正, 听证, 公告, 检测) and the extension it gave."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="pauses")
    state = models.CharField(_("state"), max_length=64)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    extension = models.PositiveIntegerField(_("extension (in the deadline's unit)"), default=0)

    class Meta:
        verbose_name = _("case pause")
        verbose_name_plural = _("case pauses")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.state} {self.started_at:%Y-%m-%d}"


class CaseCounter(models.Model):
    """Last sequence number per kind, town and day (gap-free: bumped in the creating transaction)."""

    kind = models.CharField(max_length=8)
    town_code = models.CharField(max_length=9)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case-number counter")
        verbose_name_plural = _("case-number counters")
        constraints = [models.UniqueConstraint(fields=["kind", "town_code", "day"],
                                               name="casecounter_unique")]

    def __str__(self) -> str:
        return f"{self.kind}-{self.town_code}-{self.day:%Y%m%d}: {self.last}"


class AuditEntry(models.Model):
    """审计: one append-only link of a per-subject hash chain (a transition or a sensitive read)."""

    subject = models.CharField(_("audit subject"), max_length=96)
    seq = models.PositiveIntegerField(_("sequence"))
    case = models.ForeignKey(Case, verbose_name=_("case"), null=True, blank=True,
                             on_delete=models.DO_NOTHING, db_constraint=False, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
                              on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    from_state = models.CharField(_("from state"), max_length=64, blank=True)
    to_state = models.CharField(_("to state"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    attachments = models.JSONField(_("attachment hashes"), default=list, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    data = models.JSONField(_("data"), null=True, blank=True)
    # A case's deadline fields as they stood after this step (services/audit.py DEADLINE_FIELDS); None on
    # entries of other subjects and on case entries written before the chain covered the deadline.
    deadline = models.JSONField(_("deadline after the step"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["subject", "seq"]
        constraints = [models.UniqueConstraint(fields=["subject", "seq"], name="auditentry_subject_seq")]

    def __str__(self) -> str:
        return f"{self.subject}#{self.seq}"


class AuditCheckpoint(models.Model):
    """审计锚点: a signed Merkle root over the head of every audit chain at one moment.

    Signed with an Ed25519 key kept outside the database (settings.AUDIT_KEY_FILE) and appended to a
    JSON-lines file as well (settings.AUDIT_CHECKPOINT_FILE). ``heads`` holds only the heads that moved
    since the previous checkpoint; replaying every checkpoint gives the full set the root covers.
    """

    number = models.PositiveIntegerField(_("number"), unique=True)
    created_at = models.DateTimeField(_("created at"))
    chains = models.PositiveIntegerField(_("chains"))
    entries = models.PositiveBigIntegerField(_("entries"))
    merkle_root = models.CharField(_("Merkle root"), max_length=64)
    prev_digest = models.CharField(_("digest of the previous checkpoint"), max_length=64)
    heads = models.JSONField(_("heads that moved"), default=list)
    signature = models.CharField(_("signature"), max_length=128)
    key_fingerprint = models.CharField(_("key fingerprint"), max_length=64)

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"#{self.number} {self.merkle_root[:16]}"


class Attachment(models.Model):
    """A stored file, content-addressed by its SHA-256 (the same bytes are stored once)."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=64)
    storage_name = models.CharField(_("storage name"), max_length=200)
    thumbnail_name = models.CharField(_("thumbnail"), max_length=200, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    taken_at = models.DateTimeField(_("taken at (EXIF)"), null=True, blank=True)
    gps_lat = models.FloatField(_("GPS latitude (EXIF)"), null=True, blank=True)
    gps_lng = models.FloatField(_("GPS longitude (EXIF)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.sha256


class AttachmentUpload(models.Model):
    """Who uploaded a stored file (上传记录). The same bytes are stored once but may be uploaded by many
    people: a file can be named on a case only by someone who uploaded it or when the case holds it."""

    attachment = models.ForeignKey(Attachment, verbose_name=_("attachment"), on_delete=models.CASCADE,
                                   related_name="uploads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE,
                             related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment upload")
        verbose_name_plural = _("attachment uploads")
        constraints = [models.UniqueConstraint(fields=["attachment", "user"], name="attachmentupload_unique")]

    def __str__(self) -> str:
        return f"{self.attachment_id}:{self.user_id}"


class CaseAttachment(models.Model):
    """An attachment as filed on one case (name and uploader as given there)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="attachment_links")
    attachment = models.ForeignKey(Attachment, verbose_name=_("attachment"), on_delete=models.PROTECT,
                                   related_name="case_links")
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        constraints = [models.UniqueConstraint(fields=["case", "attachment"], name="caseattachment_unique")]

    def __str__(self) -> str:
        return self.name


class OutboxMessage(models.Model):
    """A notification waiting for (or done with) delivery; claimed with a lease, delivered at least once."""

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=500)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("body"))
    payload = models.JSONField(_("payload"), null=True, blank=True)
    # A one-time code for SECRET_MARK in the body, sealed with a key from SECRET_KEY; erased once the
    # message is sent or given up (casework/sealing.py). Never the code in clear.
    sealed_secret = models.TextField(_("sealed secret"), blank=True, default="")
    secret_ttl_seconds = models.PositiveIntegerField(_("secret lifetime (seconds)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=OutboxStatus.choices,
                              default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    lease_token = models.CharField(_("lease token"), max_length=32, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"


class CaseUrge(models.Model):
    """催办 of a case of any kind: automatic at yellow and at red (once per case and level, so a tick
    never sends it twice), or by hand (``manual``, by ``urged_by``, as often as needed)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="urges")
    level = models.CharField(_("level"), max_length=8, choices=UrgeLevel.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    urged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("urged by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reminder (催办)")
        verbose_name_plural = _("reminders (催办)")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["case", "level"], name="case_urge_once_per_light",
                                               condition=models.Q(level__in=["yellow", "red"]))]
        indexes = [models.Index(fields=["sent_at"], name="case_urge_sent")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.level}"


class CaseSupervision(models.Model):
    """督办: a leader flags a case with a priority; the tick reminds the holder every ``remind_hours``
    until the case is finished or the flag is lifted (``ended_at``)."""

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="supervision")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.PROTECT,
                               related_name="+")
    priority = models.CharField(_("priority"), max_length=8, choices=SupervisionPriority.choices,
                                default=SupervisionPriority.NORMAL)
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    remind_hours = models.PositiveIntegerField(_("remind every (hours)"), default=24)
    started_at = models.DateTimeField(_("started at"))
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminders = models.PositiveIntegerField(_("reminders sent"), default=0)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision (督办)")
        verbose_name_plural = _("supervisions (督办)")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.priority}"


class CaseDayStat(models.Model):
    """The daily statistics summary of every kind: per (town, local day, kind) the cases filed that day,
    finished that day and finished on time that day. A day is summed once it is over (``tick``), so
    statistics over a period read a few rows per day and group only today's cases live."""

    town_code = models.CharField(_("town code"), max_length=9)
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=8)
    filed = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily case statistics")
        verbose_name_plural = _("daily case statistics")
        constraints = [models.UniqueConstraint(fields=["day", "town_code", "kind"], name="case_day_stat_unique")]

    def __str__(self) -> str:
        return f"{self.town_code} {self.day} {self.kind}"


class CaseFilingStat(models.Model):
    """A pillar's summary by filing day: per (town, local filing day, kind, facet, channel) the cases filed
    that day and how they were handled so far. The facet is the pillar's own grouping key (the service
    hall: the item version's id). The pillar bumps the row when a case is filed, decided and rated
    (``casework.filing_stats``), so statistics over a period sum a few rows per day instead of every case."""

    town_code = models.CharField(_("town code"), max_length=9)
    day = models.DateField(_("filing day"))
    kind = models.CharField(_("kind"), max_length=8)
    facet = models.CharField(_("facet"), max_length=32)
    channel = models.CharField(_("channel"), max_length=16)
    cases = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    promised_days = models.IntegerField(default=0)
    # Σ (promised + rank(decided day) − rank(due day)); the reader clamps it at 0 per group.
    used_raw = models.IntegerField(default=0)
    r1 = models.PositiveIntegerField(default=0)
    r2 = models.PositiveIntegerField(default=0)
    r3 = models.PositiveIntegerField(default=0)
    r4 = models.PositiveIntegerField(default=0)
    r5 = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily filing statistics")
        verbose_name_plural = _("daily filing statistics")
        constraints = [models.UniqueConstraint(fields=["town_code", "day", "kind", "facet", "channel"],
                                               name="case_filing_stat_unique")]

    def __str__(self) -> str:
        return f"{self.town_code} {self.day} {self.kind} {self.facet} {self.channel}"


class IdempotencyRecord(models.Model):
    """The answer given to the first use of an ``Idempotency-Key`` by one owner (a user, an API client),
    so a retry (an offline phone sending again, a client that lost the response) gets the same answer
    instead of doing the work twice (``casework.idempotency``)."""

    owner = models.CharField(_("owner"), max_length=64)
    key = models.CharField(_("idempotency key"), max_length=100)
    digest = models.CharField(_("request digest"), max_length=64)
    status = models.PositiveSmallIntegerField(_("response status"))
    response = models.JSONField(_("response"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key")]

    def __str__(self) -> str:
        return f"{self.owner}:{self.key}"
