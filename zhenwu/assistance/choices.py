"""Choice sets of social assistance (社会救助); the rules and numbers are in ../shared/DOMAIN.md and settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssistanceStatus(models.TextChoices):
    """A household's standing in assistance (一户一档); its history is kept in StatusChange."""

    NONE = "none", _("Not in assistance")
    DIBAO = "dibao", _("Minimum living allowance (低保)")
    TEKUN = "tekun", _("Destitute support (特困供养)")
    EDGE = "edge", _("Near-dibao household (低保边缘)")
    EXPENDITURE = "expenditure", _("Expenditure-based hardship (支出型困难)")
    TEMPORARY = "temporary", _("Temporary assistance (临时救助)")


class ApplicationKind(models.TextChoices):
    """What a household applies for."""

    DIBAO = "dibao", _("Minimum living allowance (低保)")
    TEKUN = "tekun", _("Destitute support (特困供养)")
    TEMPORARY = "temporary", _("Temporary assistance (临时救助)")
    MEDICAL = "medical", _("Medical assistance (医疗救助)")
    EDUCATION = "education", _("Education assistance (教育救助)")
    EXPENDITURE = "expenditure", _("Expenditure-based assistance (支出型救助)")


class NeedKind(models.TextChoices):
    """What the home survey found a household needs."""

    MEDICAL = "medical", _("Medical care")
    SCHOOLING = "schooling", _("Schooling")
    CARE = "care", _("Care")
    HOUSING = "housing", _("Housing")
    JOBS = "jobs", _("Employment")


class ExpenditureKind(models.TextChoices):
    """Rigid expenditures (刚性支出) counted against income."""

    MEDICAL = "medical", _("Medical")
    EDUCATION = "education", _("Education")
    CARE = "care", _("Care")
