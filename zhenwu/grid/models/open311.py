"""Open311 GeoReport v2: the registered clients (api_key), the questions a service asks, and each request
a client filed (its token and the contact details the client sent, never published)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Client(models.Model):
    """An Open311 client (a 311 app, a partner's system) allowed to POST requests with its api_key.

    The key is ``o311_<prefix>_<secret>``: the prefix finds the row, the SHA-256 of the whole key proves
    it. Only the hash is stored; the key is shown once, when the client is added."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    key_prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AttributeDatatype(models.TextChoices):
    """The spec's attribute datatypes."""

    STRING = "string", _("Short text")
    NUMBER = "number", _("A number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One choice from a list")
    MULTI = "multivaluelist", _("Several choices from a list")


LIST_DATATYPES = (AttributeDatatype.SINGLE, AttributeDatatype.MULTI)


class Open311Attribute(models.Model):
    """A question a service (a minor category) asks a reporter: an attribute of its service definition.

    ``values`` lists the choices of a list datatype as ``[{"key": ..., "name": ...}]``. A category
    without attributes has ``metadata`` false in the service list."""

    category = models.ForeignKey("grid.Category", verbose_name=_("service (category)"), on_delete=models.CASCADE,
                                 related_name="open311_attributes")
    code = models.CharField(_("code"), max_length=50)
    datatype = models.CharField(_("datatype"), max_length=16, choices=AttributeDatatype.choices)
    required = models.BooleanField(_("answer required"), default=False)
    variable = models.BooleanField(_("asks for input"), default=True,
                                   help_text=_("Off: the description is only information shown to the user."))
    description = models.CharField(_("question"), max_length=300)
    datatype_description = models.CharField(_("input hint"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("display order"), default=1)
    values = models.JSONField(_("answer choices"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)  # discovery's changeset

    class Meta:
        verbose_name = _("Open311 attribute")
        verbose_name_plural = _("Open311 attributes")
        ordering = ["category", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="grid_open311_attribute_unique")]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.code}"


class Open311Request(models.Model):
    """One accepted POST requests: which client filed which incident, the token, and what the client sent
    beside the incident's own fields. Email, names and phone are kept for answering the reporter and
    never appear in GET requests."""

    client = models.ForeignKey(Open311Client, verbose_name=_("Open311 client"), on_delete=models.PROTECT,
                               related_name="requests")
    incident = models.OneToOneField("grid.Incident", verbose_name=_("filed incident"), on_delete=models.CASCADE,
                                    related_name="open311")
    token = models.CharField(_("Open311 token"), max_length=40, unique=True)
    account_id = models.CharField(_("client account ID"), max_length=100, blank=True)
    device_id = models.CharField(_("device ID"), max_length=100, blank=True)
    email = models.CharField(_("reporter email"), max_length=254, blank=True)
    first_name = models.CharField(_("reporter first name"), max_length=50, blank=True)
    last_name = models.CharField(_("reporter last name"), max_length=50, blank=True)
    phone = models.CharField(_("reporter phone"), max_length=30, blank=True)
    address_id = models.CharField(_("address ID"), max_length=100, blank=True)
    media_url = models.CharField(_("media URL sent"), max_length=1000, blank=True)
    attributes = models.JSONField(_("attribute answers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.token
