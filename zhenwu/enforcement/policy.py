"""Who may do what in 一队执法: one answer for the pages (links, buttons) and for the services (refusals).

- ``may_open(user, page)``: a staff page;
- ``may(user, action, area_code=…)``: an action on a row of that area (role and scope);
- ``check(user, action, area_code=…)``: the same for a service — outside the scope ``NotFound`` (404),
  without the role ``Forbidden`` (403);
- ``officer_check(user, on=…)``: an officer may act on a case only with a certificate valid that day
  (Administrative Penalty Law Art. 42) — refused with 403 otherwise;
- ``conflict_check(officer, id_number=…, uscc=…)``: an officer may not handle a party they declared a
  relation with or a shareholding in (回避, Art. 43).

The power list is the county's, not an area's: reading it is public, keeping it is the list keepers'.
"""

from __future__ import annotations

import datetime
from typing import Any

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope, scope_prefix
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _

LIST_KEEPER_ROLES = (Role.LEGAL_REVIEWER, Role.LEADER, Role.ADMIN)  # 权责清单: edit, import
CASE_ROLES = (Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)
OFFICER_ROLES = (Role.ENFORCEMENT_OFFICER,)
PUBLICATION_ROLES = (Role.LEGAL_REVIEWER, Role.LEADER)  # publish decisions, record an overturn

PAGE_ROLES: dict[str, tuple[Role, ...]] = {
    "cases": CASE_ROLES,
    "officers": (Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER, Role.LEADER, Role.ADMIN),
    "power_io": LIST_KEEPER_ROLES,
    "publications": PUBLICATION_ROLES + (Role.SUPERVISOR, Role.ADMIN),  # the publication supervision list
    "followups": (Role.ENFORCEMENT_OFFICER, Role.LEADER, Role.ADMIN),  # 审管联动 tasks
}

ACTION_ROLES: dict[str, tuple[Role, ...]] = {
    "case_file": OFFICER_ROLES,  # 立案 / 简易程序 (the officer must also hold a valid certificate)
    "case_act": OFFICER_ROLES,
    "approve": (Role.LEADER,),  # 立案审批, decision, extension (the head of the authority)
    "legal_review": (Role.LEGAL_REVIEWER,),  # 法制审核
    "officer_edit": (Role.LEADER, Role.ADMIN),  # officers, squads, certificates
    "conflict_declare": (Role.ENFORCEMENT_OFFICER, Role.LEADER, Role.ADMIN),
    "publish": PUBLICATION_ROLES,  # 行政处罚决定公开
    "overturn": PUBLICATION_ROLES,  # record that a published decision was revoked or changed
    "withdraw": (Role.LEADER,),  # 撤回 (Art. 48), the head of the authority
    "followup_end": OFFICER_ROLES,  # 审管联动: the routed officer ends the task
}


def _staff_in_scope(user: Any) -> bool:
    return isinstance(user, User) and user.kind == UserKind.STAFF and scope_prefix(user) is not None


def may_open(user: Any, page: str) -> bool:
    """True when ``user`` is a staff member with a scope and a role the page serves."""
    return _staff_in_scope(user) and user.has_role(*PAGE_ROLES[page])


def may(user: Any, action: str, *, area_code: str) -> bool:
    """True when ``user`` may take ``action`` on a row in ``area_code``."""
    return in_scope(user, area_code) and user.has_role(*ACTION_ROLES[action])


def check(user: Any, action: str, *, area_code: str, missing: str | None = None) -> None:
    """Refuse what ``may`` denies: out of scope 404, without the role 403."""
    if not in_scope(user, area_code):
        raise NotFound(missing or _("Not found."))
    if not user.has_role(*ACTION_ROLES[action]):
        raise Forbidden(_("Your roles do not allow this action."))


def may_keep_list(user: Any) -> bool:
    return _staff_in_scope(user) and user.has_role(*LIST_KEEPER_ROLES)


def check_list_keeper(user: Any) -> None:
    """Only legal reviewers, leaders and administrators keep the power list (403 for anyone else)."""
    if not may_keep_list(user):
        raise Forbidden(_("Only legal reviewers, leaders and administrators keep the power list."))


def officer_of(user: Any) -> Any:
    """The user's ``Officer`` row, or None."""
    from zhenwu.enforcement.models import Officer

    if not isinstance(user, User):
        return None
    return Officer.objects.filter(user=user).first()


def officer_check(officer: Any, *, on: datetime.date, field: str = "officer") -> None:
    """An officer acts only with a certificate valid on ``on`` (Art. 42); 400 on ``field`` otherwise."""
    if officer is None:
        raise FieldError(field, _("Only an enforcement officer with a certificate may do this."))
    if not officer.certificate_valid_on(on):
        raise FieldError(field, _("The enforcement certificate %(number)s of %(name)s is not valid on %(day)s.")
                         % {"number": officer.certificate_number, "name": officer.user.full_name or
                            officer.user.username, "day": on.isoformat()})


def conflict_check(officer: Any, *, id_number: str = "", uscc: str = "", field: str = "officer") -> None:
    """An officer who declared a relation with the party may not handle the case (回避, Art. 43)."""
    keys = [k for k in (id_number, uscc) if k]
    if not keys:
        return
    from django.db.models import Q

    hit = officer.conflicts.filter(Q(id_number__in=keys) | Q(uscc__in=keys)).first()
    if hit is not None:
        raise FieldError(field, _("%(name)s declared a conflict of interest with this party and must recuse "
                                  "(Administrative Penalty Law Art. 43).")
                         % {"name": officer.user.full_name or officer.user.username})
