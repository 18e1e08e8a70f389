"""Choice sets of the base data (人地事物组织)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HouseholdKind(models.TextChoices):
    REGISTERED = "registered", _("Registered household")  # 户籍户
    RESIDENT = "resident", _("Resident household")  # 常住户
    RENTAL = "rental", _("Rental household")  # 出租户
    COLLECTIVE = "collective", _("Collective household")  # 集体户
    VACANT = "vacant", _("Registered but absent")  # 空挂户


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", pgettext_lazy("relation to head", "Parent")  # not the area tree's "Parent"
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Sibling")
    TENANT = "tenant", _("Tenant")
    OTHER = "other", _("Other relative")


class ResidentStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered (户籍)")
    PERMANENT = "permanent", _("Permanent resident (常住)")
    FLOATING = "floating", _("Floating (流动)")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class CareTag(models.TextChoices):
    """Groups the town cares for."""

    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")  # 独居老人
    DISABLED = "disabled", _("Person with disability")  # 残疾人
    DIBAO = "dibao", _("Minimum living allowance")  # 低保
    TEKUN = "tekun", _("Extreme poverty support")  # 特困
    YOUTH = "youth", _("Youth needing attention")  # 重点青少年
    VETERAN = "veteran", _("Veteran")  # 退役军人
    PARTY = "party", _("Party member")  # 党员
    LEFT_BEHIND_CHILD = "left_behind_child", _("Left-behind child")  # 留守儿童
    SEVERE_ILLNESS = "severe_illness", _("Serious illness")  # 大病


class OperatingStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")  # 在业
    SUSPENDED = "suspended", _("Suspended")  # 停业
    CANCELLED = "cancelled", _("Deregistered")  # 注销
    REVOKED = "revoked", _("Licence revoked")  # 吊销


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class PlaceKind(models.TextChoices):
    SHOP = "shop", _("Shop")
    RENTAL_HOUSE = "rental_house", _("Rental house")
    SCHOOL = "school", _("School")
    HOSPITAL = "hospital", _("Hospital / clinic")
    FACTORY = "factory", _("Factory")
    CONSTRUCTION_SITE = "construction_site", _("Construction site")
    RESTAURANT = "restaurant", _("Restaurant")
    PUBLIC_VENUE = "public_venue", _("Public venue")
    OTHER = "other", _("Other")


class GridDuty(models.TextChoices):
    """What a staff member does in a grid (网格长 / 网格员 / 信息员 / 专属网格员)."""

    LEADER = "leader", _("Grid leader")
    WORKER = "worker", _("Grid worker")
    INFO_OFFICER = "info_officer", _("Information officer")
    SPECIAL = "special", _("Special grid worker")
