"""Every write of 一窗受理 (keyword-only, atomic, audited); import from here."""

from zhenwu.services.services.actions import (
    application_accept,
    application_decide,
    application_deliver,
    application_finish,
    application_precheck,
    application_reassign,
    application_reject,
    application_request_supplement,
    application_review,
    application_special_pause,
    application_special_resume,
    application_supply,
    application_withdraw,
)
from zhenwu.services.services.catalogue import catalogue_load, item_clean, service_item_create, service_item_update
from zhenwu.services.services.codes import tracking_code_reissue
from zhenwu.services.services.feedback import (
    rectification_answer,
    rectification_callback,
    rectification_verify,
    stand_in_set,
    supervision_task_complete,
)
from zhenwu.services.services.ratings import (
    application_rate,
    rating_by_code,
    rating_by_link,
    rating_code_send,
    rating_pad_open,
    rating_pad_pair,
    rating_pad_rate,
)
from zhenwu.services.services.submit import application_submit

__all__ = [
    "application_accept", "application_decide", "application_deliver", "application_finish",
    "application_precheck", "application_rate", "application_reassign", "application_reject",
    "application_request_supplement", "application_review", "application_special_pause",
    "application_special_resume", "application_submit", "application_supply", "application_withdraw",
    "catalogue_load", "item_clean", "rectification_answer", "rectification_callback", "rectification_verify",
    "service_item_create", "service_item_update", "stand_in_set", "supervision_task_complete",
    "rating_by_code", "rating_by_link", "rating_code_send", "rating_pad_open", "rating_pad_pair", "rating_pad_rate",
    "tracking_code_reissue",
]
