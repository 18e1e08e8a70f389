"""Choice sets of 一窗受理."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    LICENCE = "licence", _("Administrative licence (行政许可)")
    CONFIRMATION = "confirmation", _("Administrative confirmation (行政确认)")
    PUBLIC_SERVICE = "public_service", _("Public service (公共服务)")
    PAYMENT = "payment", _("Administrative payment (行政给付)")
    OTHER = "other", _("Other")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    BOTH = "both", _("Original and copy")


class ApplicantScope(models.TextChoices):
    """Who may apply for an item."""

    PERSON = "person", _("Natural persons")
    ENTERPRISE = "enterprise", _("Enterprises")
    BOTH = "both", _("Persons and enterprises")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ENTERPRISE = "enterprise", _("Enterprise")


class ApplicationChannel(models.TextChoices):
    WINDOW = "window", _("Comprehensive window")
    ONLINE = "online", _("Online")
    PROXY = "proxy", _("Village proxy")
    KIOSK = "kiosk", _("Self-service kiosk")


class DeliveryMode(models.TextChoices):
    WINDOW = "window", _("Pick-up at the window")
    EXPRESS = "express", _("Express delivery")
    ELECTRONIC = "electronic", _("Electronic result")


class ReviewStep(models.TextChoices):
    FIRST_REVIEW = "first_review", _("First review")
    SECOND_REVIEW = "second_review", _("Second review")
    APPROVAL = "approval", _("Approval")


class Status(models.TextChoices):
    """States of an application's process (the chain states exist only when the item has them)."""

    PRECHECK = "precheck", _("Pre-check")
    SUBMITTED = "submitted", _("Awaiting acceptance")
    SUPPLEMENT = "supplement", _("Awaiting supplementary materials")
    ACCEPTED = "accepted", _("Accepted, in handling")
    FIRST_REVIEW = "first_review", _("First review")
    SECOND_REVIEW = "second_review", _("Second review")
    APPROVAL = "approval", _("Approval")
    SPECIAL = "special", _("Special procedure")
    FINISHED = "finished", _("Finished")
    DENIED = "denied", _("Not approved")
    DELIVERED = "delivered", _("Result delivered")
    REJECTED = "rejected", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Result(models.TextChoices):
    NONE = "", _("No decision yet")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class RatingLevel(models.IntegerChoices):
    """好差评: five levels, 5 best."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class RatingChannel(models.TextChoices):
    WINDOW = "window", _("Window rating pad")
    ONLINE = "online", _("Online")
    SMS = "sms", _("SMS")
    KIOSK = "kiosk", _("Self-service kiosk")
    PROXY = "proxy", _("Village service station")
    TRACKING = "tracking", _("Tracking page (SMS code)")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Awaiting verification")
    VERIFIED = "verified", _("Verified, rectifying")
    ANSWERED = "answered", _("Rectified and answered")
    CLOSED = "closed", _("Called back, closed")


class SupervisionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
