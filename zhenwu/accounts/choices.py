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
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs officer")
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


class LoginMethod(models.TextChoices):
    """How an attempt tried to authenticate."""

    PASSWORD = "password", _("Password")
    OTP = "otp", _("One-time code")
    TOKEN = "token", _("API token")


class OtpPurpose(models.TextChoices):
    """What a one-time code was sent for; a code opens only what it was sent for."""

    LOGIN = "login", _("Login")
    REGISTER = "register", _("Registration")


class LoginReason(models.TextChoices):
    """Outcome of one authentication attempt (written to the audit row)."""

    OK = "ok", _("Success")
    PENDING = "pending", _("Being checked")
    BAD_CREDENTIALS = "bad_credentials", _("Wrong username or password")
    LOCKED = "locked", _("Account locked")
    BAD_CODE = "bad_code", _("Wrong code")
    EXPIRED_CODE = "expired_code", _("Expired or missing code")
    TOO_MANY_ATTEMPTS = "too_many_attempts", _("Too many attempts")
    BAD_TOKEN = "bad_token", _("Unknown or revoked token")
    NOT_ALLOWED = "not_allowed", _("Account kind not allowed")
