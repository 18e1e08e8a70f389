"""Admin (in Chinese through the catalogue): calendar with CSV upload, process definitions,
cases and audit entries (read-only), outbox."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhenwu.casework import kinds
from zhenwu.casework.admin_audit import AuditedAdminMixin
from zhenwu.casework.models import (
    AuditCheckpoint,
    AuditEntry,
    CalendarDay,
    CalendarYear,
    Case,
    CaseHandoff,
    CasePause,
    OutboxMessage,
    ProcessDefinitionRecord,
    StandIn,
)
from zhenwu.casework.process import ProcessDefinitionError, action_label, process_load, state_label
from zhenwu.casework.services import audit_record, calendar_import
from zhenwu.errors import FieldError


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services: visible, never edited or deleted here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CalendarUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file (date,kind,name)"))


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdminMixin):
    list_display = ["year", "source", "imported_at"]
    change_list_template = "casework/admin/calendar_changelist.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_view)
        upload = path("import/", view, name="casework_calendar_import")
        return [upload, *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        form = CalendarUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    result = calendar_import(text=form.cleaned_data["file"].read().decode("utf-8-sig"))
                    for year in CalendarYear.objects.filter(year__in=result.years):
                        audit_record(subject=f"admin.calendaryear:{year.pk}", actor=request.user,  # type: ignore[arg-type]
                                     action="admin_import", reason="admin",
                                     data={"object": str(year), "days": result.days, "source": year.source})
            except (FieldError, UnicodeDecodeError) as exc:
                not_utf8 = [(None, _("The file is not UTF-8 text."))]
                errors = exc.errors if isinstance(exc, FieldError) else not_utf8
                for _field, message in errors:
                    form.add_error(None, str(message))
            else:
                self.message_user(request, gettext("Imported %(days)d days for %(years)s.") % {
                    "days": result.days, "years": ", ".join(map(str, result.years))}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:casework_calendaryear_changelist"))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": gettext("Import a calendar year")}
        return TemplateResponse(request, "casework/admin/calendar_import.html", context)


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdminMixin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]


class ProcessDefinitionForm(forms.ModelForm):
    class Meta:
        model = ProcessDefinitionRecord
        fields = ["key", "definition", "is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("key") and isinstance(data.get("definition"), dict):
            try:
                process_load({**data["definition"], "key": data["key"]}, check_callables=True)
            except ProcessDefinitionError as exc:
                raise forms.ValidationError(exc.problems) from exc
        return data


@admin.register(ProcessDefinitionRecord)
class ProcessDefinitionRecordAdmin(AuditedAdminMixin):
    form = ProcessDefinitionForm
    list_display = ["key", "is_active", "updated_at"]


class CasePauseInline(admin.TabularInline):
    model = CasePause
    extra = 0
    can_delete = False
    readonly_fields = ["state", "started_at", "ended_at", "extension"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseHandoffInline(admin.TabularInline):
    model = CaseHandoff
    extra = 0
    can_delete = False
    readonly_fields = ["handler", "handler_unit", "previous", "reason", "assigned_by", "at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class KindFilter(admin.SimpleListFilter):
    """Case kinds by their registered names (codes second), not bare codes."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        present = set(Case.objects.order_by().values_list("kind", flat=True).distinct())  # kinds with cases
        return [(k.code, f"{k.label}（{k.code}）") for k in kinds.kinds() if k.code in present]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind_name", "process", "status_name", "title", "light", "deadline_due_at", "created_at"]
    list_filter = [KindFilter, "process", "light", "deadline_unconfirmed"]
    search_fields = ["number", "title", "area_code"]
    inlines = [CasePauseInline, CaseHandoffInline]
    exclude = ["status"]
    readonly_fields = ["status_name"]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_name(self, case: Case) -> str:
        return kinds.kind_label(case.kind)

    @admin.display(description=_("status"), ordering="status")
    def status_name(self, case: Case) -> str:
        return state_label(case.process, case.status)


class StandInForm(forms.ModelForm):
    """The kernel's rule (``check_stand_in``) for administrators too: the stand-in's scope covers the user's
    cases."""

    class Meta:
        model = StandIn
        fields = ["user", "stand_in", "starts_at", "ends_at"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user, stand_in = data.get("user"), data.get("stand_in")
        if user is not None and stand_in is not None and (
                stand_in.pk == user.pk or stand_in.scope_code is None
                or not (user.scope_code or "").startswith(stand_in.scope_code)):
            self.add_error("stand_in", _("The stand-in's scope must cover every case of the person they stand in "
                                         "for."))
        return data


@admin.register(StandIn)
class StandInAdmin(AuditedAdminMixin):
    """Stand-ins decide who may act on others' cases: every add, change and delete is audited."""

    form = StandInForm
    list_display = ["user", "stand_in", "starts_at", "ends_at"]
    raw_id_fields = ["user", "stand_in"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """States and actions by name (the stored keys stay searchable)."""

    list_display = ["subject", "seq", "action_name", "actor_name", "from_name", "to_name", "created_at"]
    list_select_related = ["case"]
    search_fields = ["subject", "actor_name", "request_id", "action"]
    exclude = ["action", "from_state", "to_state"]
    readonly_fields = ["action_name", "from_name", "to_name"]

    @staticmethod
    def _process(entry: AuditEntry) -> str:
        return entry.case.process if entry.case_id and entry.case else ""

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, entry: AuditEntry) -> str:
        return action_label(self._process(entry), entry.action, entry.from_state)

    @admin.display(description=_("from state"))
    def from_name(self, entry: AuditEntry) -> str:
        return state_label(self._process(entry), entry.from_state)

    @admin.display(description=_("to state"))
    def to_name(self, entry: AuditEntry) -> str:
        return state_label(self._process(entry), entry.to_state)


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    """Signed checkpoints (``zhenwu audit checkpoint``): visible, never edited; the moved heads stay out of
    the page (they can be large)."""

    list_display = ["number", "created_at", "chains", "entries", "merkle_root", "key_fingerprint"]
    exclude = ["heads"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["channel", "recipient", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["channel", "status"]
    actions = ["retry_now"]

    @admin.action(description=_("Retry now"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        from django.utils import timezone

        count = queryset.exclude(status="sent").update(status="pending", next_attempt_at=timezone.now(),
                                                       lease_until=None)
        self.message_user(request, gettext("%(n)d messages queued again.") % {"n": count})
