"""Admin of base data: search, filters, raw-id grids; saves keep area_code, derived fields and the audit.

The pages and the API are the everyday way to edit (they validate through ``cleaning``); the admin
is the administrator's repair tool, so it validates the identity fields too and audits every save.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from zhenwu.accounts.validation import validate_id_number, validate_mobile, validate_uscc
from zhenwu.casework.services import audit_record
from zhenwu.registry import services
from zhenwu.registry.identity import id_birth_date, id_sex
from zhenwu.registry.models import Camera, Enterprise, GridAssignment, Household, Place, Resident, ResidentTag

_VALIDATORS = {"id_number": validate_id_number, "mobile": validate_mobile, "contact_mobile": validate_mobile,
               "uscc": validate_uscc}


class AuditedAdmin(admin.ModelAdmin):
    """Keeps ``area_code`` = grid code, checks identity fields, writes a masked audit entry per save."""

    kind: services.Kind

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        for name, validator in _VALIDATORS.items():
            if name in form.base_fields and validator not in form.base_fields[name].validators:
                form.base_fields[name].validators.append(validator)
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        obj.area_code = obj.grid.code
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            fields = {k: services.masked_value(self.kind, k, form.cleaned_data.get(k)) for k in form.changed_data}
            audit_record(subject=self.kind.subject(obj.pk), actor=request.user,  # type: ignore[arg-type]
                         action="update" if change else "create", reason="admin", data={"fields": fields})

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        pk = obj.pk
        with transaction.atomic():
            super().delete_model(request, obj)
            audit_record(subject=self.kind.subject(pk), actor=request.user,  # type: ignore[arg-type]
                         action="delete", reason="admin", data={"fields": {}})


class ResidentTagInline(admin.TabularInline):
    model = ResidentTag
    extra = 0


@admin.register(Resident)
class ResidentAdmin(AuditedAdmin):
    kind = services.RESIDENT
    list_display = ("name", "id_number", "sex", "status", "area_code")
    list_filter = ("status", "sex", "tags__tag")
    search_fields = ("=id_number", "=mobile", "name")  # exact or prefix-friendly: "name" is the only LIKE
    raw_id_fields = ("grid", "household")
    readonly_fields = ("area_code", "birth_date", "sex", "created_at", "updated_at")
    inlines = (ResidentTagInline,)

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        obj.birth_date, obj.sex = id_birth_date(obj.id_number), id_sex(obj.id_number)  # never typed
        super().save_model(request, obj, form, change)


@admin.register(Household)
class HouseholdAdmin(AuditedAdmin):
    kind = services.HOUSEHOLD
    readonly_fields = ("area_code", "created_at", "updated_at")
    list_display = ("number", "address", "kind", "area_code")
    list_filter = ("kind",)
    search_fields = ("=number", "address")
    raw_id_fields = ("grid", "head")


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin):
    kind = services.ENTERPRISE
    readonly_fields = ("area_code", "created_at", "updated_at")
    raw_id_fields = ("grid",)
    list_display = ("name", "uscc", "operating_status", "risk_level", "abnormal_listed", "area_code")
    list_filter = ("operating_status", "risk_level", "abnormal_listed")
    search_fields = ("=uscc", "name", "address")


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    kind = services.PLACE
    readonly_fields = ("area_code", "created_at", "updated_at")
    list_display = ("name", "kind", "address", "area_code")
    list_filter = ("kind",)
    search_fields = ("name", "address")
    raw_id_fields = ("grid", "enterprise")


@admin.register(Camera)
class CameraAdmin(AuditedAdmin):
    kind = services.CAMERA
    readonly_fields = ("area_code", "created_at", "updated_at")
    raw_id_fields = ("grid",)
    list_display = ("code", "name", "source_system", "area_code")
    list_filter = ("source_system",)
    search_fields = ("=code", "name")


@admin.register(GridAssignment)
class GridAssignmentAdmin(admin.ModelAdmin):
    list_display = ("grid", "user", "duty", "started_on", "ended_on")
    list_filter = ("duty", ("ended_on", admin.EmptyFieldListFilter))
    search_fields = ("=grid__code", "grid__name", "user__username", "user__full_name")
    raw_id_fields = ("grid", "user")
    formfield_overrides = {models.DateField: {"widget": forms.DateInput(attrs={"type": "date"})}}
