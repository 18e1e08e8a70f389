"""Choice sets of 矛盾纠纷 (disputes) and 走访 (visits)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisputeKind(models.TextChoices):
    """What a dispute is about (the usual classes of 人民调解 ledgers)."""

    NEIGHBOUR = "neighbour", _("Neighbourhood")
    FAMILY = "family", _("Marriage and family")
    LAND = "land", _("Land, hills and forests")
    LABOUR = "labour", _("Labour dispute")
    PROPERTY = "property", _("Property management")
    DEBT = "debt", _("Debt")
    TRAFFIC = "traffic", _("Traffic accident")
    OTHER = "other", _("Other")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")


class SessionResult(models.TextChoices):
    """How one mediation session ended."""

    CONTINUED = "continued", _("To be continued")
    AGREED = "agreed", _("Agreement reached")
    FAILED = "failed", _("No agreement")


class DisputeOutcome(models.TextChoices):
    SETTLED = "settled", _("Mediated successfully")
    REFERRED = "referred", _("Mediation failed, referred")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReferralTarget(models.TextChoices):
    """Where a dispute the town could not settle goes (调解不成)."""

    COURT = "court", _("People's court")
    CENTRE = "centre", _("County dispute mediation centre")


class VisitTarget(models.TextChoices):
    """入户走访: who or what a grid worker visits."""

    HOUSEHOLD = "household", _("Household")
    ENTERPRISE = "enterprise", _("Enterprise")
    PLACE = "place", _("Place")
