"""The application's steps after filing: 预审, 受理/不予受理, 补正, review chain, decision, 办结, 出件,
withdrawal, 特别程序, reassignment. Every state change goes through ``transition()``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.casework.process import RESUME
from zhenwu.casework.services import attachments_usable
from zhenwu.casework.services.assignment import case_assign, case_hand_over
from zhenwu.errors import FieldError, Forbidden
from zhenwu.errors import gettext as _
from zhenwu.services import policy
from zhenwu.services.choices import DeliveryMode, ReviewStep, Status
from zhenwu.services.models import Application
from zhenwu.services.process import handling_states, step_roles
from zhenwu.services.services.codes import tracking_code_new
from zhenwu.services.services.common import is_applicant_account, move
from zhenwu.services.services.submit import link_files, materials_clean

Opts = Mapping[str, Any]


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise FieldError(field, _("This field is required."))
    return reason


def _lock(app: Application) -> Application:
    """Lock the application row and reload its own fields, keeping the case as the caller saw it: if
    the case moved meanwhile, the kernel's compare-and-set answers 409 instead of acting on a state
    nobody saw."""
    Application.objects.select_for_update().filter(pk=app.pk).values_list("pk", flat=True).get()
    app.refresh_from_db(fields=[f.attname for f in Application._meta.concrete_fields
                                if f.name not in ("id", "case")])
    return app


@transaction.atomic
def application_precheck(*, actor: User, application: Application, request_id: str = "",
                         expected_version: int | None = None) -> Application:
    """预审 passed: an online/kiosk application goes to the window's acceptance queue."""
    move(actor=actor, app=application, action="precheck_pass", request_id=request_id,
         expected_version=expected_version)
    return application


@transaction.atomic
def application_accept(*, actor: User, application: Application, request_id: str = "",
                       expected_version: int | None = None) -> Application:
    """受理: the accepting clerk becomes the first contact (首问负责); the promised deadline starts; a
    random 查询码 is issued (sent by SMS, and on ``app.new_tracking_code`` for the acceptance notice).
    即办件 are finished in the same step."""
    app = _lock(application)
    instant = not _handling(app)  # 即办件: 受理 is the decision
    app.first_contact = actor
    code = tracking_code_new(app)
    fields = ["first_contact", "tracking_code_hash"]
    if instant:
        app.result, app.decided_at = "approved", timezone.now()
        fields += ["result", "decided_at"]
    # effects: the 查询码 SMS (and a 即办件's statistics), see process.definition()
    move(actor=actor, app=app, action="accept", request_id=request_id, expected_version=expected_version,
         effect_context={"tracking_code": code})
    if instant:
        case_hand_over(case=app.case, handler=actor, actor=actor)
    app.save(update_fields=fields)
    return app


@transaction.atomic
def application_reject(*, actor: User, application: Application, reason: str, request_id: str = "",
                       expected_version: int | None = None) -> Application:
    """不予受理 with the reason (told to the applicant)."""
    reason = _reason(reason)
    app = _lock(application)
    app.result_reason = reason  # told to the applicant by the action's effect
    move(actor=actor, app=app, action="reject", reason=reason, request_id=request_id,
         expected_version=expected_version)
    app.save(update_fields=["result_reason"])
    return app


@transaction.atomic
def application_request_supplement(*, actor: User, application: Application, missing: Sequence[str],
                                   reason: str = "", request_id: str = "",
                                   expected_version: int | None = None) -> Application:
    """一次性补正告知: one notice listing every missing material; the clock pauses until they arrive."""
    app = _lock(application)
    names = list(dict.fromkeys(str(m) for m in missing or []))
    known = app.item_version.material_names()
    if not names or any(n not in known for n in names):
        raise FieldError("missing", _("List the missing materials by their names in the item's checklist."))
    move(actor=actor, app=app, action="request_supplement", reason=reason, fields={"missing": names},
         request_id=request_id, expected_version=expected_version)  # effect: the one notice by SMS
    app.supplement_missing = names
    app.save(update_fields=["supplement_missing"])
    return app


def _merge_materials(actor: User, app: Application, given: Sequence[Opts]) -> list[dict[str, Any]]:
    need_files = app.channel in ("online", "kiosk")
    fresh = {m["name"]: m for m in materials_clean(actor=actor, case=app.case, version=app.item_version, given=[
        *({"name": m["name"], "attachments": m["attachments"]} for m in app.materials if m["provided"]
          and m["name"] not in app.supplement_missing), *given], need_files=need_files)}
    absent = [n for n in app.supplement_missing if not fresh[n]["provided"]]
    if absent:
        raise FieldError("materials", _("Required materials are missing: %(names)s.") % {"names": "、".join(absent)})
    return list(fresh.values())


@transaction.atomic
def application_supply(*, actor: User, application: Application, materials: Sequence[Opts],
                       request_id: str = "", expected_version: int | None = None) -> Application:
    """补正到位: the applicant (online) or a clerk brings every missing material; the clock resumes."""
    app = _lock(application)
    if app.case.status != Status.SUPPLEMENT:
        raise FieldError("action", _("This action is not possible in the case's current state."))
    merged = _merge_materials(actor, app, materials)
    hashes = [s for m in merged if m["name"] in app.supplement_missing for s in m["attachments"]]
    move(actor=actor, app=app, action=RESUME, request_id=request_id,
         fields={"supplied": list(app.supplement_missing)}, attachments=hashes,
         expected_version=expected_version)
    link_files(actor=actor, app=app, hashes=hashes, name=app.item_version.name)
    app.materials, app.supplement_missing = merged, []
    app.save(update_fields=["materials", "supplement_missing"])
    return app


def _handling(app: Application) -> list[str]:
    return handling_states(list(app.item_version.chain), app.item_version.promised_limit_days)


@transaction.atomic
def application_review(*, actor: User, application: Application, step: str, opinion: str, approve: bool,
                       request_id: str = "", expected_version: int | None = None) -> Application:
    """初审/复审/审批 of the current step. A non-final step forwards the case with the opinion (a
    negative opinion is recorded for the approver, who alone decides); the final step decides."""
    app = _lock(application)
    opinion = _reason(opinion, "opinion")
    if step not in ReviewStep.values or app.case.status != step:
        raise FieldError("step", _("The case is not at this review step."))
    if _handling(app)[-1] == step:
        return _decide(actor, app, approve, opinion, request_id, expected_version)
    move(actor=actor, app=app, action=f"forward_{step}", reason=opinion, request_id=request_id,
         fields={"opinion": opinion, "approve": bool(approve)}, expected_version=expected_version)
    case_hand_over(case=app.case, handler=None, actor=actor)  # the next step's queue takes it
    return app


def _decide(actor: User, app: Application, approve: bool, reason: str, request_id: str,
            expected_version: int | None) -> Application:
    if not approve:
        reason = _reason(reason)
    app.result, app.result_reason, app.decided_at = ("approved" if approve else "denied"), reason, timezone.now()
    # effects: statistics, the 审管联动 task of a supervised approval, the SMS (process.definition())
    move(actor=actor, app=app, action="approve" if approve else "deny", reason=reason,
         fields={"opinion": reason, "approve": bool(approve)}, request_id=request_id,
         expected_version=expected_version)
    app.save(update_fields=["result", "result_reason", "decided_at"])
    # 综窗出件: the accepting window hands out the result
    case_hand_over(case=app.case, handler=app.first_contact, actor=actor)
    return app


def _supervision_open(app: Application) -> None:
    from zhenwu.services.services.feedback import supervision_task_open
    from zhenwu.services.services.submit import _registry_area

    area = _registry_area({"applicant_id_number": app.applicant_id_number, "applicant_uscc": app.applicant_uscc})
    supervision_task_open(app, area or app.case.area_code)  # the task and its case (kind SG)


@transaction.atomic
def application_decide(*, actor: User, application: Application, approve: bool, reason: str = "",
                       request_id: str = "", expected_version: int | None = None) -> Application:
    """准予 / 不予许可 (with a reason) at the final step of the chain (or 办理 when there is no chain)."""
    app = _lock(application)
    if app.case.status not in _handling(app)[-1:]:
        raise FieldError("action", _("This action is not possible in the case's current state."))
    return _decide(actor, app, approve, reason, request_id, expected_version)


@transaction.atomic
def application_finish(*, actor: User, application: Application, request_id: str = "",
                       expected_version: int | None = None) -> Application:
    """办结 of an item without a review chain (the window handles and finishes it)."""
    app = _lock(application)
    if app.case.status != Status.ACCEPTED:
        raise FieldError("action", _("This action is not possible in the case's current state."))
    return _decide(actor, app, True, "", request_id, expected_version)


def _delivery_values(actor: User, app: Application, mode: str, opts: Opts) -> dict[str, Any]:
    if mode not in app.item_version.delivery:
        raise FieldError("mode", _("This item is not delivered this way."))
    needed = {DeliveryMode.WINDOW: "signature", DeliveryMode.EXPRESS: "tracking_number",
              DeliveryMode.ELECTRONIC: "result_attachment"}[DeliveryMode(mode)]
    value = str(opts.get(needed) or "").strip()
    if not value:
        raise FieldError(needed, _("This field is required."))
    if needed == "result_attachment" and not attachments_usable(actor=actor, hashes=[value], case=app.case):
        raise FieldError(needed, _("An attached file was not uploaded first."))
    column = {"signature": "pickup_signature"}.get(needed, needed)
    return {"delivery_mode": mode, column: value[:100] if needed != "result_attachment" else value}


@transaction.atomic
def application_deliver(*, actor: User, application: Application, mode: str, tracking_number: str = "",
                        signature: str = "", result_attachment: str = "", request_id: str = "",
                        expected_version: int | None = None, base_url: str = "") -> Application:
    """出件: window pick-up (signature), express (tracking number) or electronic result (a stored file).
    The applicant then gets an SMS with a signed link to rate the service (``base_url``: the site's
    address, else ``SITE_URL``)."""
    app = _lock(application)
    values = _delivery_values(actor, app, mode, {"tracking_number": tracking_number, "signature": signature,
                                          "result_attachment": result_attachment})
    for name, value in values.items():
        setattr(app, name, value)
    app.delivered_at = timezone.now()
    move(actor=actor, app=app, action="deliver", request_id=request_id, fields={"mode": mode},
         attachments=[result_attachment] if result_attachment else [], expected_version=expected_version,
         effect_context={"base_url": base_url})  # effect: the rating link by SMS
    if result_attachment:
        link_files(actor=actor, app=app, hashes=[result_attachment], name=app.item_version.name)
    app.save(update_fields=[*values, "delivered_at"])
    return app


@transaction.atomic
def application_withdraw(*, actor: User, application: Application, reason: str = "", request_id: str = "",
                         expected_version: int | None = None) -> Application:
    """撤回 by the applicant (or recorded by the window) before a decision."""
    app = _lock(application)
    move(actor=actor, app=app, action="withdraw", reason=reason, request_id=request_id,
         expected_version=expected_version)
    return app


@transaction.atomic
def application_special_pause(*, actor: User, application: Application, reason: str, request_id: str = "",
                              expected_version: int | None = None) -> Application:
    """特别程序 (听证, 公告, 检测, 鉴定…): the clock pauses; the reason is recorded."""
    reason = _reason(reason)
    app = _lock(application)
    move(actor=actor, app=app, action="special_pause", reason=reason, request_id=request_id,
         expected_version=expected_version)
    app.pause_reason = reason
    app.save(update_fields=["pause_reason"])
    return app


@transaction.atomic
def application_special_resume(*, actor: User, application: Application, reason: str = "",
                               request_id: str = "", expected_version: int | None = None) -> Application:
    """End of 特别程序: back to the step it paused, the deadline pushed out by the pause."""
    app = _lock(application)
    if app.case.status != Status.SPECIAL:
        raise FieldError("action", _("This action is not possible in the case's current state."))
    move(actor=actor, app=app, action=RESUME, reason=reason, request_id=request_id,
         expected_version=expected_version)
    return app


@transaction.atomic
def application_reassign(*, actor: User, application: Application, handler: User, reason: str = "",
                         request_id: str = "") -> Application:
    """Hand the case to a named staff member (window clerk, leader or administrator in scope) through the
    kernel's ``case_assign``: outside the scope 404, without the role 403, a finished case 400
    ``action``, a handler outside the case's scope or without the current step's role 400 ``handler``."""
    app = _lock(application)
    if is_applicant_account(actor):
        raise Forbidden(_("Your roles do not allow this action."))
    policy.check(actor, "reassign", area_code=app.case.area_code, missing=_("No such case."))
    case_assign(actor=actor, case=app.case, handler=handler, reason=reason, request_id=request_id,
                roles=step_roles(app.case.status), reassigner_roles=policy.ACTION_ROLES["reassign"])
    return app
