"""走访: a grid worker's visit to a household, an enterprise or a place."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhenwu.grid.choices_disputes import VisitTarget


class Visit(models.Model):
    """入户走访: who visited whom, when and where, a short record and photos (attachment SHA-256s).

    ``area_code`` is the visited target's grid code, so a visit is seen by whoever sees that grid. (A phone's
    retry under the same Idempotency-Key is answered by ``casework.idempotency``, never a second visit.)
    """

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("grid worker"), on_delete=models.PROTECT,
                               related_name="+")
    target_kind = models.CharField(_("visited"), max_length=12, choices=VisitTarget.choices)
    household = models.ForeignKey("registry.Household", verbose_name=_("household"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey("registry.Place", verbose_name=_("place"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("areas.Area", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)
    record = models.TextField(_("visit record"))
    photos = models.JSONField(_("photos (SHA-256)"), default=list, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    visited_at = models.DateTimeField(_("visited at"), db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-pk"]
        indexes = [models.Index(fields=["area_code", "visited_at"], name="visit_scope_time")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target_kind="household", household__isnull=False)
                           | Q(target_kind="enterprise", enterprise__isnull=False)
                           | Q(target_kind="place", place__isnull=False)),
                name="visit_target_present"),
        ]

    def __str__(self) -> str:
        return f"{self.get_target_kind_display()} {self.visited_at:%Y-%m-%d}"

    @property
    def target(self) -> models.Model | None:
        return self.household or self.enterprise or self.place
