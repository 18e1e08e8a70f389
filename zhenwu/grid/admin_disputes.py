"""Admin (Chinese) of disputes and visits: read-only — every write goes through the services, so that the
case, its audit chain and the dispute row stay in step. Imported by ``grid/admin.py``."""

from __future__ import annotations

from django.contrib import admin

from zhenwu.casework.admin import ReadOnlyAdmin
from zhenwu.grid.models import Dispute, DisputeParty, MediationSession, Visit


class DisputePartyInline(admin.TabularInline):
    model = DisputeParty
    extra = 0
    can_delete = False
    fields = readonly_fields = ("role", "name", "id_number", "mobile", "address", "resident", "enterprise")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class MediationSessionInline(admin.TabularInline):
    model = MediationSession
    extra = 0
    can_delete = False
    fields = readonly_fields = ("held_on", "level", "place", "minutes", "result", "recorded_by")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "risk", "level", "outcome", "grid", "created_at"]
    list_filter = ["kind", "risk", "level", "outcome"]
    search_fields = ["case__number", "description", "parties__name"]
    inlines = [DisputePartyInline, MediationSessionInline]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["visited_at", "worker", "target_kind", "area_code"]
    list_filter = ["target_kind"]
    search_fields = ["area_code", "record"]
    date_hierarchy = "visited_at"
