"""Admin for Open311: clients (a new client's api_key is shown once, on saving) and service attributes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenwu.grid.models import Open311Attribute, Open311Client, Open311Request
from zhenwu.grid.open311.clients import key_generate, key_hash


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "contact", "active", "key_prefix", "created_at", "last_used_at")
    list_filter = ("active",)
    search_fields = ("name", "contact")
    readonly_fields = ("key_prefix", "created_at", "last_used_at")
    actions = ["rekey"]

    def save_model(self, request: HttpRequest, obj: Open311Client, form: Any, change: bool) -> None:
        key = None
        if not change:
            prefix, key = key_generate()
            obj.key_prefix, obj.key_hash = prefix, key_hash(key)
        super().save_model(request, obj, form, change)
        if key:
            messages.warning(request, _("The api_key of %(name)s, shown only now: %(key)s")
                             % {"name": obj.name, "key": key})

    @admin.action(description=gettext_lazy("Replace the api_key (the old one stops working)"))
    def rekey(self, request: HttpRequest, queryset: Any) -> None:
        for client in queryset:
            prefix, key = key_generate()
            Open311Client.objects.filter(pk=client.pk).update(key_prefix=prefix, key_hash=key_hash(key))
            messages.warning(request, _("The api_key of %(name)s, shown only now: %(key)s")
                             % {"name": client.name, "key": key})


@admin.register(Open311Attribute)
class Open311AttributeAdmin(admin.ModelAdmin):
    list_display = ("category", "order", "code", "datatype", "required", "description")
    list_filter = ("datatype", "required")
    search_fields = ("code", "description", "category__code", "category__name")
    raw_id_fields = ("category",)


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    """Which client filed which incident, with what it sent beside the incident; read only."""

    list_display = ("created_at", "client", "incident", "token")
    list_filter = ("client",)
    search_fields = ("token", "incident__case__number", "account_id", "device_id")
    list_select_related = ("client", "incident__case")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
