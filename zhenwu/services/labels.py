"""Names of the steps the service hall records beside the workflow (registered with the kernel, so every
timeline and the admin show 评价 instead of ``rate``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from zhenwu.casework import process
from zhenwu.services.choices import Status

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


# Before pauses returned by the kernel's ``resume``, the hall's processes had one action per state a
# pause went back to (``supply_<state>``, ``special_resume_<state>``); their audit entries keep those keys.
LEGACY_RESUMES = {"supply_": Status.SUPPLEMENT, "special_resume_": Status.SPECIAL}


def action_label(proc: Any, key: str, from_state: str = "") -> str:
    """What an audit entry's action is called (``resume``: after the pause it ended, ``from_state``)."""
    for prefix, pause in LEGACY_RESUMES.items():
        if key.startswith(prefix):
            key, from_state = process.RESUME, pause
    return process.action_label(proc.key, key, from_state)
