"""Officers (执法人员), squads (执法中队) and declared conflicts of interest (回避申报)."""

from __future__ import annotations

import datetime

from django.db import transaction

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import Department, StaffRole, User
from zhenwu.accounts.scope import in_scope
from zhenwu.accounts.validation import clean_id_number, clean_uscc
from zhenwu.areas.models import Area
from zhenwu.enforcement import policy
from zhenwu.enforcement.choices import ConflictKind
from zhenwu.enforcement.models import ConflictDeclaration, Officer, Squad
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _


@transaction.atomic
def squad_save(*, actor: User, name: str, area_code: str, grid_codes: list[str],
               department: Department | None = None) -> Squad:
    """A squad over one area (片区) and the grids in it; leaders and administrators of that area."""
    policy.check(actor, "officer_edit", area_code=area_code, missing=_("No such area."))
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise FieldError("area_code", _("No such area."))
    grids = list(Area.objects.filter(code__in=grid_codes))
    outside = sorted({*grid_codes} - {g.code for g in grids if g.code.startswith(area.code)})
    if outside:
        raise FieldError("grids", _("These grids are not in the squad's area: %(codes)s.")
                         % {"codes": "、".join(outside)})
    squad, _created = Squad.objects.update_or_create(name=name.strip(), defaults={"area": area,
                                                                                  "department": department})
    squad.grids.set(grids)
    return squad


@transaction.atomic
def officer_register(*, actor: User, user: User, certificate_number: str, valid_from: datetime.date,
                     valid_until: datetime.date, squad: Squad | None = None) -> Officer:
    """Record (or renew) a staff member's enforcement certificate; they get the officer role."""
    if user.kind != UserKind.STAFF or user.scope_area is None:
        raise FieldError("user", _("Only a staff member with a scope can be an enforcement officer."))
    policy.check(actor, "officer_edit", area_code=user.scope_area.code, missing=_("No such staff member."))
    if valid_until < valid_from:
        raise FieldError("valid_until", _("The certificate ends before it begins."))
    if not certificate_number.strip():
        raise FieldError("certificate_number", _("The certificate number is required."))
    taken = Officer.objects.filter(certificate_number=certificate_number.strip()).exclude(user=user).exists()
    if taken:
        raise FieldError("certificate_number", _("Another officer holds this certificate number."))
    officer, _created = Officer.objects.update_or_create(user=user, defaults={
        "certificate_number": certificate_number.strip(), "certificate_valid_from": valid_from,
        "certificate_valid_until": valid_until, "squad": squad,
        "area_code": squad.area.code if squad else user.scope_area.code})
    StaffRole.objects.get_or_create(user=user, role=Role.ENFORCEMENT_OFFICER)
    return officer


@transaction.atomic
def conflict_declare(*, actor: User, officer_id: int, kind: str, party_name: str, id_number: str = "",
                     uscc: str = "", note: str = "") -> ConflictDeclaration:
    """回避申报: the officer (or a leader for them) names a relative by ID number or a company by USCC."""
    officer = Officer.objects.select_related("user").filter(pk=officer_id).first()
    if officer is None or not in_scope(actor, officer.area_code):
        raise NotFound(_("No such enforcement officer."), field="officer")
    if officer.user_id != actor.pk and not actor.has_role(Role.LEADER, Role.ADMIN):
        raise Forbidden(_("Officers declare their own conflicts; a leader may declare one for them."))
    if kind not in ConflictKind.values:
        raise FieldError("kind", _("Unknown kind of conflict."))
    if not party_name.strip():
        raise FieldError("party_name", _("The party's name is required."))
    if bool(id_number) == bool(uscc):
        raise FieldError("id_number", _("Give the party's ID number (a citizen) or USCC (an organisation)."))
    return ConflictDeclaration.objects.create(
        officer=officer, kind=kind, party_name=party_name.strip(), note=note,
        id_number=clean_id_number(id_number.upper()) if id_number else "",
        uscc=clean_uscc(uscc.upper()) if uscc else "")
