"""Monthly payment lists per village (issue 13 §5) and the bank account each household is paid into."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import AssistanceStatus
from zhenwu.assistance.choices_calc import PaymentLineStatus, PaymentListStatus
from zhenwu.assistance.models.grants import Grant
from zhenwu.assistance.models.household import AssistanceFile


class PayeeAccount(models.Model):
    """The account a household's assistance is paid into (社保卡 or 一卡通), as the bank needs it."""

    file = models.OneToOneField(AssistanceFile, verbose_name=_("assistance file"), on_delete=models.CASCADE,
                                related_name="payee")
    holder_name = models.CharField(_("account holder"), max_length=50)
    holder_id_number = models.CharField(_("holder's ID number"), max_length=18)
    bank_name = models.CharField(_("bank"), max_length=60)
    account_number = models.CharField(_("account number"), max_length=32)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payee account")
        verbose_name_plural = _("payee accounts")

    def __str__(self) -> str:
        return f"{self.file_id}: {self.bank_name}"


class PaymentList(models.Model):
    """One village's payments of one month, drawn from the active grants; approved by the town, then exported."""

    village_code = models.CharField(_("village code"), max_length=24, db_index=True)
    month = models.DateField(_("month"))  # the first day
    status = models.CharField(_("status"), max_length=16, choices=PaymentListStatus.choices,
                              default=PaymentListStatus.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drawn up by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("drawn up at"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment list")
        verbose_name_plural = _("payment lists")
        ordering = ["-month", "village_code"]
        constraints = [models.UniqueConstraint(fields=["village_code", "month"], name="assistance_paylist_once")]

    def __str__(self) -> str:
        return f"{self.village_code} {self.month:%Y-%m}"


class PaymentLine(models.Model):
    """One household on a payment list, as it stood when the list was drawn up."""

    payment_list = models.ForeignKey(PaymentList, verbose_name=_("payment list"), on_delete=models.CASCADE,
                                     related_name="lines")
    grant = models.ForeignKey(Grant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey(AssistanceFile, verbose_name=_("assistance file"), on_delete=models.PROTECT,
                             related_name="+")
    household_number = models.CharField(_("household number"), max_length=32)
    payee_name = models.CharField(_("payee"), max_length=50, blank=True, default="")
    category = models.CharField(_("category"), max_length=16, choices=AssistanceStatus.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=16, choices=PaymentLineStatus.choices)
    note = models.CharField(_("note"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")
        ordering = ["payment_list", "household_number", "id"]

    def __str__(self) -> str:
        return f"{self.household_number}: {self.amount} ({self.status})"
