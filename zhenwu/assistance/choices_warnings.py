"""Choice sets of early warning (§3) and village medical mutual aid (§6, 福村宝)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LifeEventKind(models.TextChoices):
    """Events other than medical bills that may push a household into hardship."""

    DEATH = "death", _("Death")
    DISABILITY = "disability", _("Disability")
    INCOME_LOSS = "income_loss", _("Sudden loss of income")


class WarningReason(models.TextChoices):
    """Why a warning was raised: spending over the threshold, or a life event."""

    SPENDING = "spending", _("Large out-of-pocket medical spending")
    DEATH = "death", _("Death")
    DISABILITY = "disability", _("Disability")
    INCOME_LOSS = "income_loss", _("Sudden loss of income")


class WarningState(models.TextChoices):
    """The warning's task: waiting for the home visit, or closed with an outcome (the case's states)."""

    OPEN = "open", _("Awaiting home visit")
    CLOSED = "closed", _("Visited")


class WarningOutcome(models.TextChoices):
    """What the home visit concluded."""

    NO_NEED = "no_need", _("No need")
    APPLICATION_OPENED = "application_opened", _("Assistance application opened")
    REFERRED = "referred", _("Referred")


class ImportKind(models.TextChoices):
    SETTLEMENTS = "settlements", _("Medical-insurance settlements")
    EVENTS = "events", _("Life events")


class ImportSource(models.TextChoices):
    FILE = "file", _("File")
    API = "api", _("API")


class MutualAidYearStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class FundSource(models.TextChoices):
    """Where the money of a mutual-aid fund comes from (contributions are counted from the enrolments)."""

    VILLAGE = "village", _("Village collective money")
    DONATION = "donation", _("Donation")


class ClaimStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
