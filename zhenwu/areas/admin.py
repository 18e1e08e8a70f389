"""Area admin: search, level filter, geometry as JSON checked by the same rules as import; GeoJSON
import page and export action."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhenwu.areas.models import Area
from zhenwu.areas.selectors import areas_export, feature_of
from zhenwu.areas.services import area_create, area_delete, area_import_geojson, area_update, area_validate
from zhenwu.errors import FieldError


class AreaAdminForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["code", "name", "level", "special_kind", "parent", "geometry"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parent = data.get("parent")
        code = self.instance.code if self.instance.pk else data.get("code")
        problems = area_validate(code=code, name=data.get("name"), level=data.get("level"),
                                 parent=parent, parent_code=parent.code if parent else None,
                                 geometry=data.get("geometry"), special_kind=data.get("special_kind") or "")
        for field, message in problems:
            self.add_error(field if field in self.fields else None, str(message))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("GeoJSON file"))


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaAdminForm
    list_display = ["code", "name", "level", "special_kind", "parent", "area_m2", "updated_at"]
    list_filter = ["level", "special_kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["centroid_lng", "centroid_lat", "bbox", "area_m2", "updated_at"]
    actions = ["export_geojson"]
    change_list_template = "admin/areas/area/change_list.html"

    def get_readonly_fields(self, request: HttpRequest, obj: Area | None = None) -> Any:
        # The code fixes the parent and every descendant's code, so it never changes after creation.
        fixed = ["code", "parent"] if obj is not None else []
        return [*fixed, *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: Area, form: Any, change: bool) -> None:
        if change:
            area_update(area=obj, name=obj.name, level=obj.level, geometry=obj.geometry,
                        special_kind=obj.special_kind)
        else:
            obj.pk = area_create(code=obj.code, name=obj.name, level=obj.level, parent=obj.parent,
                                 geometry=obj.geometry, special_kind=obj.special_kind).pk

    def delete_model(self, request: HttpRequest, obj: Area) -> None:
        try:
            area_delete(area=obj)
        except FieldError as exc:
            self.message_user(request, exc.text(), messages.ERROR)

    @admin.action(description=_("Export selected areas as GeoJSON"))
    def export_geojson(self, request: HttpRequest, queryset: QuerySet[Area]) -> HttpResponse:
        rows = queryset.select_related("parent").order_by("code")
        data = {"type": "FeatureCollection",
                "features": [feature_of(a, a.parent.code if a.parent else None) for a in rows]}
        return _download(data, "areas.geojson")

    def get_urls(self) -> list[URLPattern]:
        extra = [path("import/", self.admin_site.admin_view(self.import_view), name="areas_area_import"),
                 path("export/", self.admin_site.admin_view(self.export_view), name="areas_area_export")]
        return extra + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            errors = _import_upload(request, form.cleaned_data["file"])
            if not errors:
                return redirect("admin:areas_area_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "errors": errors,
                   "opts": self.model._meta, "title": gettext("Import areas from GeoJSON")}
        return TemplateResponse(request, "admin/areas/area/import.html", context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        return _download(areas_export(), "areas.geojson")


def _import_upload(request: HttpRequest, upload: Any) -> list[str]:
    try:
        result = area_import_geojson(data=json.loads(upload.read().decode("utf-8")))
    except (ValueError, UnicodeDecodeError):
        return [gettext("The file is not valid JSON.")]
    except FieldError as exc:
        return [f"{field}: {message}" if field else str(message) for field, message in exc.errors]
    messages.success(request, gettext("Imported: %(created)s created, %(updated)s updated.")
                     % {"created": len(result.created), "updated": len(result.updated)})
    return []


def _download(data: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
