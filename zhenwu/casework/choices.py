"""Choice sets of the casework kernel."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """An exception to the Monday–Friday week in the working-day calendar."""

    WORKDAY = "workday", _("Working day (调休)")
    HOLIDAY = "holiday", _("Holiday")


class CalendarSource(models.TextChoices):
    CHINESECALENDAR = "chinesecalendar", _("chinesecalendar package")
    IMPORT = "import", _("Imported file")


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("Working days")
    NATURAL_DAYS = "natural_days", _("Natural days")
    HOURS = "hours", _("Hours")


class Light(models.TextChoices):
    """限时办结 light of a live deadline; empty when the case has none."""

    NONE = "", _("No deadline")
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")

    @property
    def colour(self) -> str:
        return {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828"}.get(self.value, "#9e9e9e")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WEBHOOK = "webhook", _("Webhook")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class UrgeLevel(models.TextChoices):
    """催办: automatic at yellow and at red (once each per case), or by hand (as often as needed)."""

    YELLOW = "yellow", _("Due soon (automatic)")
    RED = "red", _("Overdue (automatic)")
    MANUAL = "manual", _("By hand")


class SupervisionPriority(models.TextChoices):
    """督办 priority set by a leader."""

    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")
