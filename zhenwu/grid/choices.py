"""Choice sets of 一网治理 (grid governance)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where an incident came from (recorded on the incident)."""

    PATROL = "patrol", _("Grid patrol")
    CITIZEN = "citizen", _("Citizen report")
    OPEN311 = "open311", _("Open311")
    HOTLINE = "hotline", _("12345 hotline")
    CAMERA = "camera", _("Camera alert")
    APPROVAL = "approval", _("Approval-supervision link")
    ENFORCEMENT = "enforcement", _("Enforcement patrol")


class CategoryType(models.TextChoices):
    PART = "part", _("Component (部件)")
    EVENT = "event", _("Event (事件)")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class EscalationLevel(models.TextChoices):
    """Who answers for an incident now, up the area tree: 小事不出网格、难事不出乡镇."""

    GRID = "grid", _("Grid")
    VILLAGE = "village", _("Village")
    TOWN = "town", _("Town")
    COUNTY = "county", _("County")


ESCALATION_ORDER = [EscalationLevel.GRID, EscalationLevel.VILLAGE, EscalationLevel.TOWN, EscalationLevel.COUNTY]


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
