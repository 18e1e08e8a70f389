"""Filing an application (办件) from any channel: item, channel, applicant, materials, consent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.validation import clean_id_number, clean_mobile, clean_uscc
from zhenwu.areas.models import Area
from zhenwu.casework.models import Attachment, Case, CaseAttachment
from zhenwu.casework.services import attachments_usable, case_opening
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _
from zhenwu.querycache import Compiled, insert
from zhenwu.registry.models import Enterprise, Resident
from zhenwu.services.choices import ApplicantKind, ApplicantScope, ApplicationChannel
from zhenwu.services.models import Application, ServiceItem, ServiceItemVersion
from zhenwu.services.process import KIND, process_key
from zhenwu.services.services.common import is_applicant_account, sms
from zhenwu.services.services.linking import applicant_account
from zhenwu.services.stats import stats_filed

TOWN_LENGTH = 9
STAFF_CHANNELS = {ApplicationChannel.WINDOW: Role.WINDOW_CLERK, ApplicationChannel.PROXY: Role.VILLAGE_STAFF}
SELF_CHANNELS = (ApplicationChannel.ONLINE, ApplicationChannel.KIOSK)


# Compiled once per process (zhenwu.querycache): every filing reads it.
_ACTIVE_ITEM = Compiled(lambda code: ServiceItem.objects.select_related("current_version")
                        .filter(code=code, active=True).order_by("pk")[:1])


def item_version_for(item_code: str) -> ServiceItemVersion:
    item = _ACTIVE_ITEM.first(str(item_code))
    if item is None or item.current_version is None:
        raise FieldError("item_code", _("There is no service item with this code."))
    version = item.current_version
    version.item = item  # known already: spares reading the item again
    return version


def _check_channel(actor: User, version: ServiceItemVersion, channel: str) -> None:
    if channel not in ApplicationChannel.values:
        raise FieldError("channel", _("Choose one of the allowed values."))
    if is_applicant_account(actor) != (channel in SELF_CHANNELS):
        raise FieldError("channel", _("Citizens apply online or at a kiosk; staff file window and proxy "
                                      "applications."))
    role = STAFF_CHANNELS.get(ApplicationChannel(channel))
    if role and not actor.has_role(role):
        raise FieldError("channel", _("Your roles do not allow filing through this channel."))
    allowed = {ApplicationChannel.WINDOW: True, ApplicationChannel.ONLINE: version.online,
               ApplicationChannel.KIOSK: version.online, ApplicationChannel.PROXY: version.proxy}
    if not allowed[ApplicationChannel(channel)]:
        raise FieldError("channel", _("This item cannot be applied for through this channel."))


def applicant_clean(*, actor: User, version: ServiceItemVersion, data: Mapping[str, Any]) -> dict[str, Any]:
    """Applicant kind, name, ID number or USCC, mobile; accounts fill in their own values."""
    own = is_applicant_account(actor)
    kind = (ApplicantKind.ENTERPRISE if actor.kind == UserKind.ENTERPRISE else ApplicantKind.PERSON) if own \
        else data.get("applicant_kind") or ApplicantKind.PERSON
    if kind not in ApplicantKind.values:
        raise FieldError("applicant_kind", _("Choose one of the allowed values."))
    if version.applicant not in (ApplicantScope.BOTH, kind):
        raise FieldError("applicant_kind", _("This item is not open to this kind of applicant."))
    name = str((actor.full_name if own else "") or data.get("applicant_name") or "").strip()
    if not name:
        raise FieldError("applicant_name", _("This field is required."))
    person = kind == ApplicantKind.PERSON
    raw_id = (actor.id_number if own else None) or data.get("id_number") or ""
    raw_uscc = (actor.uscc if own else None) or data.get("uscc") or ""
    who = {"applicant_kind": kind, "applicant_name": name[:200],
           "applicant_id_number": clean_id_number(raw_id) if person else "",
           "applicant_uscc": "" if person else clean_uscc(raw_uscc),
           "applicant_mobile": clean_mobile((actor.mobile if own else None) or data.get("mobile") or "")}
    # Filed by staff for someone with an account: it shows in their portal too (linking.py).
    who["applicant_user"] = actor if own else applicant_account(
        id_number=who["applicant_id_number"], uscc=who["applicant_uscc"], mobile=who["applicant_mobile"])
    return who


def materials_clean(*, actor: User, version: ServiceItemVersion, given: Sequence[Mapping[str, Any]],
                    need_files: bool, case: Case | None = None, field: str = "materials",
                    allow_missing: bool = False) -> list[dict[str, Any]]:
    """The version's checklist with what was provided; every required material must be there (unless
    ``allow_missing``: the window takes the application in and sends one supplement notice). Files are
    named by SHA-256 and must be the actor's own uploads or already on ``case``."""
    known = {m["name"]: m for m in version.materials}
    provided: dict[str, list[str]] = {}
    for i, entry in enumerate(given or []):
        name = str(entry.get("name") or "")
        if name not in known:
            raise FieldError(f"{field}.{i}.name", _("This item has no material of this name."))
        files = [str(s) for s in entry.get("attachments") or []]
        if entry.get("provided", True) and (files or not need_files):
            provided[name] = files
    _check_files(actor, case, [s for files in provided.values() for s in files], field)
    missing = [n for n, m in known.items() if m.get("required") and n not in provided]
    if missing and not allow_missing:
        raise FieldError(field, _("Required materials are missing: %(names)s.") % {"names": "、".join(missing)})
    return [{"name": n, "required": bool(m.get("required")), "provided": n in provided,
             "attachments": provided.get(n, [])} for n, m in known.items()]


def _check_files(actor: User, case: Case | None, hashes: list[str], field: str) -> None:
    # Someone else's file is answered like one never uploaded: the answer tells nothing about it.
    if set(hashes) - attachments_usable(actor=actor, hashes=hashes, case=case):
        raise FieldError(f"{field}.attachments", _("An attached file was not uploaded first."))


def link_files(*, actor: User, app: Application, hashes: list[str], name: str) -> None:
    if not hashes:
        return
    for attachment in Attachment.objects.filter(sha256__in=hashes):
        CaseAttachment.objects.get_or_create(case=app.case, attachment=attachment,
                                             defaults={"name": name[:200], "uploaded_by": actor})


def consent_clean(channel: str, consent: Mapping[str, Any] | None) -> dict[str, Any]:
    """Village proxy: who consented, how and when (the villager's authorisation)."""
    if channel != ApplicationChannel.PROXY:
        return {}
    consent = consent or {}
    errors: list[tuple[str | None, Any]] = [
        (f"consent.{k}", _("This field is required.")) for k in ("by", "method", "at") if not consent.get(k)]
    if errors:
        raise FieldError(None, errors=errors)
    at = consent["at"]
    if not isinstance(at, dt.datetime):
        raise FieldError("consent.at", _("Enter a valid date and time."))
    return {"consent_by": str(consent["by"])[:100], "consent_method": str(consent["method"])[:100],
            "consent_at": at}


def _registry_area(applicant: Mapping[str, Any]) -> str | None:
    if applicant["applicant_id_number"]:
        return Resident.objects.filter(id_number=applicant["applicant_id_number"]).values_list(
            "area_code", flat=True).first()
    return Enterprise.objects.filter(uscc=applicant["applicant_uscc"]).values_list("area_code", flat=True).first()


def filing_area(*, actor: User, area_code: str | None, applicant: Mapping[str, Any]) -> str:
    """Where the case lives: the filing staff member's scope (a town or village), or for citizens the
    given area, the town of their registry record, or the only town there is."""
    code = area_code or actor.scope_code
    if not code and is_applicant_account(actor):
        registered = _registry_area(applicant)
        towns = list(Area.objects.filter(level="town").values_list("code", flat=True)[:2])
        code = registered[:TOWN_LENGTH] if registered else (towns[0] if len(towns) == 1 else None)
    if code and code == actor.scope_code and len(code) >= TOWN_LENGTH:
        return code  # the actor's own scope area, just loaded with the actor: it exists
    if not code or len(code) < TOWN_LENGTH or not Area.objects.filter(code=code).exists():
        raise FieldError("area_code", _("Choose the town or village the application is filed in."))
    return code


@transaction.atomic
def application_submit(*, actor: User, item_code: str, channel: str, materials: Sequence[Mapping[str, Any]],
                       applicant: Mapping[str, Any] | None = None, consent: Mapping[str, Any] | None = None,
                       area_code: str | None = None, request_id: str = "") -> Application:
    """File an application: item and channel allowed, applicant identity valid, every required
    material provided (with files online), proxy consent recorded. Online/kiosk start at 预审. At the
    window a required material may be missing: the application is taken in (收件) and goes straight to
    补正 with one notice listing every missing material (一次性补正告知)."""
    version = item_version_for(item_code)
    _check_channel(actor, version, channel)
    who = applicant_clean(actor=actor, version=version, data=applicant or {})
    need_files = channel in SELF_CHANNELS
    checked = materials_clean(actor=actor, version=version, given=materials, need_files=need_files,
                              allow_missing=channel == ApplicationChannel.WINDOW)
    extra = consent_clean(channel, consent)
    area = filing_area(actor=actor, area_code=area_code, applicant=who)
    # The application is written before the case takes its number: the town's day counter, on which every
    # filing queues, stays locked only for what names the number (case_opening).
    with case_opening(kind=KIND, process=process_key(version.item.code, version.number, channel),
                      area_code=area, title=version.name[:200], actor=actor, request_id=request_id) as case:
        app = Application(case=case, item_version=version, channel=channel, filed_by=actor, materials=checked,
                          **who, **extra)
        insert(app)  # its INSERT written once (zhenwu.querycache), as save(force_insert=True)
    link_files(actor=actor, app=app, hashes=[s for m in checked for s in m["attachments"]], name=version.name)
    stats_filed(app)
    sms(app, _("Your application %(number)s for %(item)s has been received.")
        % {"number": case.number, "item": version.name})
    missing = [m["name"] for m in checked if m["required"] and not m["provided"]]
    if missing:  # 收件 at the window, then at once the one-time notice of everything missing
        from zhenwu.services.services.actions import application_request_supplement

        application_request_supplement(actor=actor, application=app, missing=missing, request_id=request_id,
                                       reason=_("Required materials were missing when the application was filed."))
    return app
