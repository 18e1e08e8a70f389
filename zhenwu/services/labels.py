"""Names of the steps the service hall records beside the workflow (registered with the kernel, so every
timeline and the admin show 评价 instead of ``rate``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from zhenwu.casework import process

NOTE_ACTIONS = {
    "rate": _("Rated by the applicant"),
    "rating_pad_open": _("Rating pad opened"),
    "tracking_code_reissue": _("New tracking code sent"),
    "reassign": _("Reassigned"),
    "rectification_verify": _("Bad rating verified"),
    "rectification_answer": _("Rectified and answered"),
    "rectification_callback": _("Applicant called back"),
    "supervision_done": _("Follow-up supervision done"),
}


def action_label(proc: Any, key: str) -> str:
    return process.action_label(proc.key, key)
