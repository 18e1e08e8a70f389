"""Admin (Chinese): items edited through the service (each edit a new version), everything else
read-only except stand-ins."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhenwu.casework.admin import ReadOnlyAdmin
from zhenwu.errors import FieldError
from zhenwu.services.choices import ReviewStep
from zhenwu.services.models import (
    Application,
    Rating,
    RectificationTask,
    ServiceItem,
    ServiceItemVersion,
    SupervisionTask,
)
from zhenwu.services.services import catalogue, service_item_update


class ItemForm(forms.ModelForm):
    """The current version's elements, editable; saving makes a new version through the service."""

    chain = forms.MultipleChoiceField(label=_("review chain"), choices=ReviewStep.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    promised_limit_days = forms.IntegerField(label=_("promised time limit (working days, 0 = on the spot)"),
                                             min_value=0)
    fees = forms.CharField(label=_("fees"), max_length=200)
    aliases = forms.CharField(label=_("aliases"), required=False, max_length=500,
                              help_text=_("Other names people search by, separated by commas or 、 (e.g. 低保)."))

    class Meta:
        model = ServiceItem
        fields = ["active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = self.instance.current_version if self.instance.pk else None
        if version is not None:
            for name in ("chain", "promised_limit_days", "fees"):
                self.fields[name].initial = getattr(version, name)
            self.fields["aliases"].initial = "、".join(version.aliases)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        version = self.instance.current_version
        if version is not None and not self.errors:
            chain = [s for s in ReviewStep.values if s in (data.get("chain") or [])]
            values = {**{n: getattr(version, n) for n in catalogue.ELEMENTS}, "chain": chain,
                      "promised_limit_days": data.get("promised_limit_days"), "fees": data.get("fees"),
                      "aliases": data.get("aliases") or ""}
            try:
                cleaned = catalogue.item_clean(values)
            except FieldError as exc:
                for field, message in exc.errors:
                    self.add_error(field if field in self.fields else None, str(message))
            else:
                data["aliases"] = cleaned["aliases"]
            data["chain"] = chain
        return data


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    form = ItemForm
    list_display = ["code", "name", "aliases", "department", "current_version", "active"]
    list_filter = ["department", "active"]
    search_fields = ["=code", "name", "aliases"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # items come from the catalogue loader or the API

    def save_model(self, request: HttpRequest, obj: ServiceItem, form: Any, change: bool) -> None:
        data = form.cleaned_data
        service_item_update(actor=request.user, item=obj,  # type: ignore[arg-type]
                            changes={k: data[k] for k in ("chain", "promised_limit_days", "fees", "aliases")},
                            active=data.get("active"))


@admin.register(ServiceItemVersion)
class ServiceItemVersionAdmin(ReadOnlyAdmin):
    list_display = ["item", "number", "name", "aliases", "promised_limit_days", "created_at", "created_by"]
    search_fields = ["=item__code", "name"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["case", "item_version", "channel", "applicant_name", "holder", "result", "created_at"]
    list_filter = ["channel", "result", "item_version__department"]
    search_fields = ["=case__number", "applicant_name"]
    list_select_related = ["case__handler", "item_version__item"]

    @admin.display(description=_("handler"))
    def holder(self, obj: Application) -> Any:
        return obj.case.handler  # the kernel's holder of the case (Application.handler reads the same)


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["application", "level", "channel", "created_at"]
    list_filter = ["level", "channel"]


@admin.register(RectificationTask)
class RectificationTaskAdmin(ReadOnlyAdmin):
    list_display = ["application", "status", "verify_due_at", "rectify_due_at"]
    list_filter = ["status"]


@admin.register(SupervisionTask)
class SupervisionTaskAdmin(ReadOnlyAdmin):
    list_display = ["application", "area_code", "status", "created_at"]
    list_filter = ["status"]
