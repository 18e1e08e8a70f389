"""Admin edits that change how cases run (process definitions, the calendar, stand-ins) go to the audit
chain: subject ``admin.<model>:<pk>``, the administrator as actor, each changed field before and after."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from zhenwu.casework.services.audit import audit_record


def admin_subject(obj: models.Model) -> str:
    return f"admin.{obj._meta.model_name}:{obj.pk}"


def field_values(obj: models.Model | None) -> dict[str, Any]:
    """Every concrete field as JSON (foreign keys by id); timestamps the database stamps are left out."""
    if obj is None:
        return {}
    return {f.attname: json.loads(json.dumps(getattr(obj, f.attname), default=str))
            for f in obj._meta.concrete_fields if not getattr(f, "auto_now", False) and not f.primary_key}


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value differs."""
    return {name: [before.get(name), after.get(name)] for name in sorted(set(before) | set(after))
            if before.get(name) != after.get(name)}


def admin_audit(request: HttpRequest, obj: models.Model, action: str, before: dict[str, Any],
                after: dict[str, Any]) -> None:
    audit_record(subject=admin_subject(obj), actor=request.user,  # type: ignore[arg-type]
                 action=action, reason="admin", data={"object": str(obj), "changes": changes(before, after)})


class AuditedAdminMixin(admin.ModelAdmin):
    """Audits every add, change and delete made in this admin, including the changelist's bulk delete."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change and obj.pk else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            admin_audit(request, obj, "admin_change" if change else "admin_add", field_values(stored),
                        field_values(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            admin_audit(request, obj, "admin_delete", field_values(obj), {})
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                admin_audit(request, obj, "admin_delete", field_values(obj), {})
            super().delete_queryset(request, queryset)
