"""听证笔录: what was said at a hearing (Administrative Penalty Law Art. 64), a numbered record of the case file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class HearingRecord(models.Model):
    """听证笔录: when and where, the host (主持人, who did not investigate the case), who took part, the party's
    statements, the investigators' case and the conclusion; read to the participants and signed (Art. 64 (8))."""

    penalty_case = models.ForeignKey("enforcement.PenaltyCase", verbose_name=_("penalty case"),
                                     on_delete=models.CASCADE, related_name="hearingrecords")
    document = models.OneToOneField("enforcement.CaseDocument", verbose_name=_("document"), on_delete=models.PROTECT,
                                    related_name="+")
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200)
    host = models.ForeignKey(USER, verbose_name=_("hearing host"), null=True, on_delete=models.SET_NULL,
                             related_name="+")
    host_name = models.CharField(_("hearing host"), max_length=100)
    participants = models.JSONField(_("participants"), default=list)
    party_statement = models.TextField(_("the party's statements and defence"))
    investigators_case = models.TextField(_("the investigators' facts, evidence and proposed penalty"))
    conclusion = models.TextField(_("conclusion"))
    created_by = models.ForeignKey(USER, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        app_label = "enforcement"
        verbose_name = _("hearing record")
        verbose_name_plural = _("hearing records")
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return self.document.number
