"""部件/事件 categories: two levels (major class → minor category); a minor category's terms live in
immutable versions, so an incident keeps the terms it was reported under while the admin edits them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.casework.choices import DeadlineUnit
from zhenwu.grid.choices import CategoryType, Priority


class Category(models.Model):
    """A major class (``parent`` empty, no version) or a minor category (``parent`` set, versioned).

    Codes: type letter + major 2 digits (+ minor 2 digits): ``E01`` 市容环境, ``E0101`` 暴露垃圾."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    type = models.CharField(_("category type"), max_length=8, choices=CategoryType.choices)
    parent = models.ForeignKey("self", verbose_name=_("major class"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    current_version = models.ForeignKey("CategoryVersion", verbose_name=_("current version"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("active"), default=True)
    sort = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")
        ordering = ["type", "sort", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_major(self) -> bool:
        return self.parent_id is None


class CategoryVersion(models.Model):
    """One immutable version of a minor category's terms: who handles it, its limit, self-closure."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE,
                                 related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=100)
    department_name = models.CharField(_("handling department"), max_length=100)
    # The department row when one is named for the whole county; else the town's department of that name.
    department = models.ForeignKey("accounts.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    limit_unit = models.CharField(_("limit unit"), max_length=16, choices=DeadlineUnit.choices)
    limit_value = models.PositiveIntegerField(_("time limit"))
    self_close = models.BooleanField(_("grid worker may self-close"), default=False)
    priority = models.CharField(_("default priority"), max_length=8, choices=Priority.choices,
                                default=Priority.NORMAL)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("incident category version")
        verbose_name_plural = _("incident category versions")
        ordering = ["category", "-number"]
        constraints = [models.UniqueConstraint(fields=["category", "number"], name="grid_catversion_unique")]

    def __str__(self) -> str:
        return f"{self.category.code} v{self.number} {self.name}"
