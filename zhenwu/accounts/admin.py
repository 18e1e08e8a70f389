"""Admin (in Chinese through the catalogue): departments, users with roles inline, API tokens, login log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts import services, views
from zhenwu.accounts.models import ApiToken, Department, LoginAttempt, StaffRole, User

# One login page for everyone: the lockout policy and the audit apply to the admin too.
admin.site.login = views.admin_login  # type: ignore[method-assign,assignment]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area")
    list_filter = ("kind",)
    search_fields = ("name", "area__name", "area__code")
    raw_id_fields = ("area",)


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [StaffRoleInline]
    list_display = ("username", "full_name", "kind", "department", "scope_area", "is_active", "is_staff")
    list_filter = ("kind", "role_assignments__role", "is_active", "is_staff", "department__kind")
    search_fields = ("username", "full_name", "mobile", "id_number", "uscc", "scope_area__code")
    raw_id_fields = ("scope_area", "department")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Account"), {"fields": ("kind", "full_name", "mobile", "id_number", "uscc", "email")}),
        (_("Staff"), {"fields": ("department", "scope_area")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups",
                                       "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "kind", "full_name", "password1", "password2")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owner; the admin may only see the metadata and revoke."""

    list_display = ("device", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("device", "prefix", "user__username", "user__full_name")
    fields = ("user", "device", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = services.tokens_revoke_all(tokens=queryset)
        self.message_user(request, gettext("%(n)d token(s) revoked.") % {"n": count}, messages.SUCCESS)


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    """The login log is evidence: read-only, never edited or deleted from the admin."""

    list_display = ("at", "username", "method", "success", "reason", "ip")
    list_filter = ("success", "method", "reason")
    search_fields = ("username", "ip")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
