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


class WorkCapacity(models.TextChoices):
    """A member's capacity to work (劳动能力), as the home survey found it."""

    FULL = "full", _("Able to work")
    PARTIAL = "partial", _("Partly able to work")
    NONE = "none", _("Unable to work")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    CHRONIC = "chronic", _("Chronic illness")
    SERIOUS = "serious", _("Serious illness")


class Schooling(models.TextChoices):
    NONE = "none", _("Not in school")
    PRESCHOOL = "preschool", _("Preschool")
    COMPULSORY = "compulsory", _("Compulsory education")
    HIGH_SCHOOL = "high_school", _("High school or vocational school")
    HIGHER = "higher", _("Higher education")


class IncomeSource(models.TextChoices):
    """Where a household's income comes from (家庭收入)."""

    WAGES = "wages", _("Wages")
    FARMING = "farming", _("Farming")
    BUSINESS = "business", _("Business")
    PENSION = "pension", _("Pension")
    PROPERTY = "property", _("Property income")
    TRANSFER = "transfer", _("Transfers and support")
    OTHER = "other", _("Other income")


class IncomeOrigin(models.TextChoices):
    DECLARED = "declared", _("Declared by the household")
    IMPORTED = "imported", _("Imported data")
    SURVEY = "survey", _("Found by the home survey")


class AssetKind(models.TextChoices):
    """家庭财产."""

    HOUSE = "house", _("House")
    VEHICLE = "vehicle", _("Vehicle")
    DEPOSIT = "deposit", _("Deposits and securities")
    LAND = "land", _("Land contract rights")
    OTHER = "other", _("Other property")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Resource matched")
    MET = "met", _("Met")


class ResourceKind(models.TextChoices):
    """What may meet a need (资源链接)."""

    POLICY = "policy", _("Policy")
    CHARITY = "charity", _("Charity")
    VOLUNTEER = "volunteer", _("Volunteers")


class Channel(models.TextChoices):
    """How an application came in."""

    ONLINE = "online", _("Online (citizen portal)")
    WINDOW = "window", _("At the window (一窗受理)")
    PROXY = "proxy", _("By the village or grid worker on the family's behalf")


class ConsentMethod(models.TextChoices):
    """How the family agreed to an application filed on its behalf."""

    SIGNED = "signed", _("Signed form")
    VERBAL = "verbal", _("Verbal, witnessed")
    PHONE = "phone", _("By phone")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
