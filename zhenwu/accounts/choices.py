"""Choice sets of accounts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A staff member's roles; one member may hold several."""

    WINDOW_CLERK = "window_clerk", _("Window clerk")
    REVIEWER = "reviewer", _("Reviewer")
    LEADER = "leader", _("Leader / approver")
    GRID_LEADER = "grid_leader", _("Grid leader")
    GRID_WORKER = "grid_worker", _("Grid worker")
    INFO_OFFICER = "info_officer", _("Information officer")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("Enforcement officer")
    LEGAL_REVIEWER = "legal_reviewer", _("Legal reviewer")
    DISPATCHER = "dispatcher", _("Dispatcher")
    SUPERVISOR = "supervisor", _("Supervisor")
    VILLAGE_STAFF = "village_staff", _("Village service staff")
    ADMIN = "admin", _("Administrator")


class UserKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    CITIZEN = "citizen", _("Citizen")
    ENTERPRISE = "enterprise", _("Enterprise")


class DepartmentKind(models.TextChoices):
    OFFICE = "office", _("Office (科室)")
    SQUAD = "squad", _("Squad (中队)")
    STATION = "station", _("Station (站所)")
    COUNTY = "county", _("County department")
