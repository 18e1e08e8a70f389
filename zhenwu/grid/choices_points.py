"""The points rules (积分规则) and the sources a point comes from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PointRule(models.TextChoices):
    """The rules of ``settings.GRID_POINTS`` (each a number of points, negative for a deduction)."""

    VALID_REPORT = "valid_report", _("Valid report")
    SELF_CLOSURE = "self_closure", _("Self-closure on the spot")
    VERIFIED_CLOSURE = "verified_closure", _("Report closed after verification")
    ON_TIME_VERIFICATION = "on_time_verification", _("On-time verification")
    VISIT = "visit", _("Visit")
    PATROL_HOUR = "patrol_hour", _("Patrol hour")
    INVALID_REPORT = "invalid_report", _("Invalid report")
    OVERDUE_VERIFICATION = "overdue_verification", _("Overdue verification")


class PointSource(models.TextChoices):
    INCIDENT = "incident", _("Grid incident")
    VISIT = "visit", _("Visit")
    PATROL = "patrol", _("Patrol")
