"""网格巡查: a grid worker's patrols, their GPS track points and check-ins at registry places."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Patrol(models.Model):
    """One patrol (巡查) from start to stop. ``area_code`` is the worker's grid at the start, for scope.

    ``client_id`` is the phone's own id of the patrol (made offline, before the server knew it): a start
    sent twice finds the patrol it already made. Distance and the simplified track are kept up to date
    from the points by the services (``patrol_points_add``, ``patrol_stop``).
    """

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("patrolling worker"), on_delete=models.PROTECT,
                               related_name="+")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)
    client_id = models.CharField(_("client id"), max_length=100)
    started_at = models.DateTimeField(_("started at"), db_index=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    distance_m = models.FloatField(_("distance (m)"), default=0.0)
    point_count = models.PositiveIntegerField(_("points"), default=0)
    track = models.JSONField(_("simplified track [[lng, lat], …]"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["area_code", "started_at"], name="patrol_scope_time"),
                   models.Index(fields=["worker", "started_at"], name="patrol_worker_time")]
        constraints = [models.UniqueConstraint(fields=["worker", "client_id"], name="patrol_client_id_unique")]

    def __str__(self) -> str:
        return f"{self.worker} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class TrackPoint(models.Model):
    """One GPS fix of a patrol (WGS84), as the phone recorded it; the full track, before simplification."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="points")
    t = models.DateTimeField(_("time"))
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    accuracy = models.FloatField(_("accuracy (m)"), null=True, blank=True)

    class Meta:
        verbose_name = _("track point")
        verbose_name_plural = _("track points")
        ordering = ["patrol", "t"]
        constraints = [models.UniqueConstraint(fields=["patrol", "t"], name="track_point_time_unique")]

    def __str__(self) -> str:
        return f"{self.t:%H:%M:%S} {self.lng:.6f},{self.lat:.6f}"


class CheckIn(models.Model):
    """打卡: a grid worker was at a registry place (within ``GRID_CHECKIN_MAX_METERS`` of it)."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("patrolling worker"), on_delete=models.PROTECT,
                               related_name="+")
    place = models.ForeignKey("registry.Place", verbose_name=_("place"), on_delete=models.PROTECT,
                              related_name="+")
    patrol = models.ForeignKey(Patrol, verbose_name=_("patrol"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="checkins")
    area_code = models.CharField(_("area code"), max_length=24, db_index=True)
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    distance_m = models.FloatField(_("distance from the place (m)"))
    at = models.DateTimeField(_("checked in at"), db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.place} {self.at:%Y-%m-%d %H:%M}"
