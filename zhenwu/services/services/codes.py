"""查询码: the random tracking code of an application, printed on the acceptance notice and sent in the
acceptance SMS. Only a keyed hash is stored (HMAC with the site's secret), so neither a reader of the
database nor a guesser of sequential case numbers can use it."""

from __future__ import annotations

import secrets
import unicodedata

from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from zhenwu.accounts.masking import SECRET_MARK
from zhenwu.accounts.models import User
from zhenwu.errors import FieldError, Forbidden
from zhenwu.errors import gettext as _
from zhenwu.services import policy
from zhenwu.services.choices import Status
from zhenwu.services.models import Application
from zhenwu.services.services.common import check_fresh, is_applicant_account, note, sms

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed from paper
LENGTH = 8
NO_CODE_STATES = (Status.PRECHECK, Status.SUBMITTED, Status.REJECTED, Status.WITHDRAWN)


def code_clean(raw: str) -> str:
    """Upper case, full-width folded, spaces and dashes dropped (``abcd-efgh`` = ``ABCDEFGH``)."""
    text = unicodedata.normalize("NFKC", raw or "").upper()
    return "".join(ch for ch in text if ch.isalnum())[:32]


def code_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def code_hash(number: str, code: str) -> str:
    return salted_hmac("zhenwu.services.tracking", f"{number}:{code_clean(code)}").hexdigest()


def code_matches(app: Application, code: str) -> bool:
    return bool(app.tracking_code_hash) and constant_time_compare(app.tracking_code_hash,
                                                                  code_hash(app.case.number, code))


def tracking_code_new(app: Application) -> str:
    """Give the application a fresh code (the caller saves ``tracking_code_hash``); returns it for printing
    and keeps it on ``app.new_tracking_code`` for the caller's page."""
    code = "".join(secrets.choice(ALPHABET) for _i in range(LENGTH))
    app.tracking_code_hash = code_hash(app.case.number, code)
    app.new_tracking_code = code
    return code


@transaction.atomic
def tracking_code_reissue(*, actor: User, application: Application, request_id: str = "") -> Application:
    """A new 查询码 (the old one stops working), sent to the applicant's mobile; for a lost notice."""
    app = application
    if is_applicant_account(actor):
        raise Forbidden(_("Your roles do not allow this action."))
    policy.check(actor, "reissue_code", area_code=app.case.area_code, missing=_("No such case."))
    check_fresh(app)
    if app.case.status in NO_CODE_STATES:
        raise FieldError("action", _("This action is not possible in the case's current state."))
    code = tracking_code_new(app)
    app.save(update_fields=["tracking_code_hash"])
    note(actor=actor, app=app, action="tracking_code_reissue", request_id=request_id)
    sms(app, _("Application %(number)s: your new tracking code is %(code)s.")
        % {"number": app.case.number, "code": SECRET_MARK}, secret=code_display(code))
    return app
