"""Admin (Chinese): minor categories edited through the service (each edit a new version, incidents keep
the version they were reported under); versions, incidents and extension requests read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.models import Department
from zhenwu.casework.admin import ReadOnlyAdmin
from zhenwu.errors import FieldError
from zhenwu.grid.choices import Priority
from zhenwu.grid.models import Category, CategoryVersion, Incident, IncidentExtension
from zhenwu.grid.services.categories import LIMIT_UNITS, TERMS, category_version_create, terms_clean


class CategoryForm(forms.ModelForm):
    """The current version's terms, editable; saving makes a new version through the service."""

    version_name = forms.CharField(label=_("name"), max_length=100)
    department_name = forms.CharField(label=_("handling department"), max_length=100)
    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.all(), required=False)
    limit_unit = forms.ChoiceField(label=_("limit unit"),
                                   choices=[(u.value, u.label) for u in LIMIT_UNITS])
    limit_value = forms.IntegerField(label=_("time limit"), min_value=1)
    self_close = forms.BooleanField(label=_("grid worker may self-close"), required=False)
    priority = forms.ChoiceField(label=_("default priority"), choices=Priority.choices)

    class Meta:
        model = Category
        fields = ["active", "sort"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = self.instance.current_version if self.instance.pk else None
        if version is not None:
            for name in TERMS:
                self.fields["version_name" if name == "name" else name].initial = getattr(version, name)

    def terms(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"name": data.get("version_name"), "department_name": data.get("department_name"),
                "department": data.get("department"), "limit_unit": data.get("limit_unit"),
                "limit_value": data.get("limit_value"), "self_close": bool(data.get("self_close")),
                "priority": data.get("priority")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                terms_clean(self.terms())
            except FieldError as exc:
                for field, message in exc.errors:
                    name = "version_name" if field == "name" else field
                    self.add_error(name if name in self.fields else None, str(message))
        return data


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    list_display = ["code", "name", "type", "parent", "current_version", "active"]
    list_filter = ["type", "active", "parent"]
    search_fields = ["=code", "name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # categories come from the loader (zhenwu grid_categories)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # incidents keep their category: deactivate instead

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.parent_id is None:
            return ["active", "sort"]  # a major class has no terms of its own
        return ["active", "sort", "version_name", "department_name", "department", "limit_unit", "limit_value",
                "self_close", "priority"]

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        obj.save(update_fields=["active", "sort"])
        if obj.parent_id is None:
            return
        terms = form.terms()
        version = obj.current_version
        if version is None or any(getattr(version, k) != v for k, v in terms.items()):
            category_version_create(category=obj, actor=request.user, **terms)  # type: ignore[arg-type]


@admin.register(CategoryVersion)
class CategoryVersionAdmin(ReadOnlyAdmin):
    list_display = ["category", "number", "name", "department_name", "limit_unit", "limit_value", "self_close",
                    "priority", "created_at", "created_by"]
    search_fields = ["=category__code", "name"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["case", "category_version", "source", "escalation_level", "rework_count", "is_open",
                    "created_at"]
    list_filter = ["source", "escalation_level", "is_open", "category__parent"]
    search_fields = ["=case__number", "description", "address"]
    list_select_related = ["case", "category_version__category"]
    exclude = ["status", "due_at", "yellow_at"]  # the queue's copies of the case's state and clock: see the case


@admin.register(IncidentExtension)
class IncidentExtensionAdmin(ReadOnlyAdmin):
    list_display = ["incident", "value", "unit", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status"]

from zhenwu.grid import admin_disputes  # noqa: E402, F401  (disputes and visits, read-only)
from zhenwu.grid.open311 import admin as open311_admin  # noqa: E402, F401  (registers the Open311 models)
