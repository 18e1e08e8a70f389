"""The area tree: county → town → village/community → level-1 grid → level-2 grid, plus special grids."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.areas.choices import AreaLevel, SpecialKind


class Area(models.Model):
    """行政区划/网格: one node of the area tree with its geometry.

    Codes are hierarchical strings: a child's code is its parent's code plus three digits
    (6-digit county, +3 town, +3 village, +3 level-1 grid, +3 level-2 grid), so "everything
    under an area" is an indexed prefix filter on ``code``.
    """

    code = models.CharField(_("code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=AreaLevel.choices, db_index=True)
    special_kind = models.CharField(_("special grid kind"), max_length=16, choices=SpecialKind.choices,
                                    blank=True, default="")
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    geometry = models.JSONField(_("geometry (GeoJSON)"), null=True, blank=True)
    centroid_lng = models.FloatField(_("centroid longitude"), null=True, blank=True)
    centroid_lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    bbox = models.JSONField(_("bounding box"), null=True, blank=True,
                            help_text=_("[min_lng, min_lat, max_lng, max_lat]"))
    area_m2 = models.FloatField(_("area (m²)"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
