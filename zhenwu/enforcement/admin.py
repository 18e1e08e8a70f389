"""The admin of 一队执法: the power list read-only (it changes through versions: import or power_save),
squads, officers and their declared conflicts."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhenwu.enforcement.models import (
    ConflictDeclaration,
    DiscretionBand,
    InspectionItem,
    Officer,
    PenaltyPower,
    PenaltyPowerVersion,
    Squad,
)


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class BandInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DiscretionBand
    extra = 0
    can_delete = False
    readonly_fields = ("level", "conditions", "fine_min", "fine_max", "other_penalty")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PenaltyPower)
class PenaltyPowerAdmin(ReadOnly):
    list_display = ("code", "name", "department", "current_version", "active")
    list_filter = ("department", "active")
    search_fields = ("code", "name")


@admin.register(PenaltyPowerVersion)
class PenaltyPowerVersionAdmin(ReadOnly):
    list_display = ("power", "number", "name", "law", "article", "created_at")
    search_fields = ("power__code", "name")
    inlines = [BandInline]


@admin.register(InspectionItem)
class InspectionItemAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "department", "law", "article")
    list_filter = ("department",)
    search_fields = ("code", "name")


@admin.register(Squad)
class SquadAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "area", "department")
    filter_horizontal = ("grids",)


class ConflictInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ConflictDeclaration
    extra = 0


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("certificate_number", "user", "certificate_valid_until", "squad", "area_code")
    search_fields = ("certificate_number", "user__username", "user__full_name")
    raw_id_fields = ("user",)
    inlines = [ConflictInline]
