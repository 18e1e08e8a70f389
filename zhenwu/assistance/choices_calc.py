"""Choice sets of expenditure-based assistance (分类+量化) and payments (issue 13 §4–5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import Health, Schooling, WorkCapacity  # noqa: F401 - the values the calculation reads


class MemberCondition(models.TextChoices):
    """分类施保: a member's condition that raises the household's need line by a share of the local standard."""

    SEVERE_DISABILITY = "severe_disability", _("Disability grade 1–2")
    DISABILITY = "disability", _("Disability grade 3–4")
    NO_WORK_CAPACITY = "no_work_capacity", _("Unable to work")
    IN_SCHOOL = "in_school", _("In school")
    SERIOUS_ILLNESS = "serious_illness", _("Serious illness")


class GrantStatus(models.TextChoices):
    """A grant is active for its period, or stopped (its period cut short, or replaced before it began)."""

    ACTIVE = "active", _("Active")
    STOPPED = "stopped", _("Stopped")


class PaymentListStatus(models.TextChoices):
    """A village's monthly payment list: drafted by civil affairs, approved by the town, then exported."""

    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by the town")


class PaymentLineStatus(models.TextChoices):
    """One household on a payment list: paid, stopped (its status ended) or held (no bank account)."""

    PAY = "pay", _("Pay")
    STOPPED = "stopped", _("Stopped: status ended")
    HELD = "held", _("Held: no bank account")
