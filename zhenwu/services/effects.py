"""What a state change of an application sets off, declared as ``effects`` on the actions of the hall's
process definitions (``process.py``) and registered here with the kernel (``effect_register``).

Every effect here runs inside the transition's transaction, each in its own savepoint
(``in_transaction=True``): an SMS is queued in the outbox, which sends it only once the transition has
committed (after the response, ``casework.background``), so a committed change never loses its
message and a rolled-back one never sends it; a statistics row or a follow-up task commits with the
change. An effect that fails is logged and undone alone: the transition stands.

Effects read the application from ``context["application"]`` (the services hand over the row they
hold, with the fields of this step already set) or else load it; one-time secrets come through the
context too (never audited) and go into the outbox sealed, as ``secret=``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhenwu.accounts.masking import SECRET_MARK
from zhenwu.accounts.models import User
from zhenwu.casework.models import Case
from zhenwu.casework.services import effect_register
from zhenwu.errors import gettext as _
from zhenwu.services.choices import Status
from zhenwu.services.models import Application
from zhenwu.services.process import (
    ACCEPTED,
    DECIDED,
    RATING_LINK,
    REJECTED,
    STATS_DECIDED,
    SUPERVISION,
    SUPPLEMENT,
)


def _application(case: Case, context: Mapping[str, Any]) -> Application:
    app = context.get("application")
    if isinstance(app, Application) and app.case_id == case.pk:
        return app
    return Application.objects.select_related("case", "item_version").get(case=case)


def sms_accepted(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                 context: Mapping[str, Any]) -> None:
    """受理: the number and the new 查询码 (sealed in the outbox)."""
    from zhenwu.services.services.codes import code_display
    from zhenwu.services.services.common import sms

    code = str(context.get("tracking_code") or "")
    if code:
        sms(_application(case, context), _("Your application %(number)s has been accepted; tracking code %(code)s.")
            % {"number": case.number, "code": SECRET_MARK}, secret=code_display(code))


def sms_rejected(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                 context: Mapping[str, Any]) -> None:
    """不予受理: the reason."""
    from zhenwu.services.services.common import sms

    app = _application(case, context)
    sms(app, _("Your application %(number)s was not accepted: %(reason)s")
        % {"number": case.number, "reason": app.result_reason})


def sms_supplement(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                   context: Mapping[str, Any]) -> None:
    """一次性补正告知: every missing material in one message."""
    from zhenwu.services.services.common import sms

    sms(_application(case, context), _("Application %(number)s: please supply, all at once: %(names)s.")
        % {"number": case.number, "names": "、".join(fields.get("missing") or [])})


def sms_decided(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                context: Mapping[str, Any]) -> None:
    """准予 / 不予许可 (and 即办件 finished at 受理): the result is ready."""
    from zhenwu.services.services.common import sms

    if case.status in (Status.FINISHED, Status.DENIED):
        sms(_application(case, context),
            _("Application %(number)s has been decided; the result is ready.") % {"number": case.number})


def sms_rating_link(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                    context: Mapping[str, Any]) -> None:
    """出件: the signed link to rate the service, unless it was rated already (``context["base_url"]``)."""
    from zhenwu.services.services.ratings import rateable, rating_link_sms

    app = _application(case, context)
    if rateable(app):
        rating_link_sms(app, str(context.get("base_url") or ""))


def stats_decided(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                  context: Mapping[str, Any]) -> None:
    """The day's statistics row counts the decision (on time or late)."""
    from zhenwu.services.stats import stats_decided as bump

    app = _application(case, context)
    if app.decided_at is not None:
        bump(app)


def supervision_open(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                     context: Mapping[str, Any]) -> None:
    """审管联动: an approved item under supervision opens a follow-up task in the applicant's grid."""
    from zhenwu.services.services.actions import _supervision_open

    app = _application(case, context)
    if app.item_version.supervision:
        _supervision_open(app)


EFFECTS = {ACCEPTED: sms_accepted, REJECTED: sms_rejected, SUPPLEMENT: sms_supplement, DECIDED: sms_decided,
           RATING_LINK: sms_rating_link, STATS_DECIDED: stats_decided, SUPERVISION: supervision_open}


def register() -> None:
    """Called from the app config, before any item's process is built."""
    for name, fn in EFFECTS.items():
        effect_register(name, fn, in_transaction=True)
