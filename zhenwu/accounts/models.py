"""Departments, staff with roles and a scope area, citizen and enterprise accounts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.choices import DepartmentKind, Role, UserKind


class Department(models.Model):
    """部门: a town office (科室), squad (中队), station (站所), or a county department."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=DepartmentKind.choices)
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT,
                             related_name="departments")

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["area__code", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An account: staff (roles + scope area), a citizen (ID number) or an enterprise (USCC)."""

    kind = models.CharField(_("kind"), max_length=16, choices=UserKind.choices, default=UserKind.STAFF)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, null=True, blank=True, unique=True)
    id_number = models.CharField(_("ID number"), max_length=18, null=True, blank=True, unique=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, null=True, blank=True,
                            unique=True)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="staff")
    scope_area = models.ForeignKey("areas.Area", verbose_name=_("scope area"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="staff")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def scope_code(self) -> str | None:
        """Area-code prefix of everything this staff member may see; None for no staff scope."""
        return self.scope_area.code if self.scope_area_id and self.scope_area else None


class StaffRole(models.Model):
    """One role held by one staff member."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="staffrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
