"""The demo's one table: the marker saying that this database was built by `zhenwu demo`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoMarker(models.Model):
    """Written by the first `zhenwu demo` run on a database (and updated by each later run).

    Without it, `zhenwu demo` refuses a database that already holds accounts, areas, cases or base data:
    that data was not made by the demo and a demo run would overwrite or mix with it."""

    built_at = models.DateTimeField()
    seed = models.IntegerField()
    towns = models.PositiveSmallIntegerField()
    scale = models.FloatField()

    class Meta:
        verbose_name = _("demo marker")
        verbose_name_plural = _("demo markers")

    def __str__(self) -> str:
        return f"demo seed {self.seed} ({self.built_at:%Y-%m-%d %H:%M})"
