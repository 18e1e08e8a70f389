"""The demo's 双随机一公开: officers with certificates and two completed random-inspection plans in the first town.

Each plan goes through the real services — announced a week before its draw date, drawn with a public value,
issued, every target's result recorded by its first inspector (a few problems open penalty cases), published
within the 20 working days — with the clock set back to the day of each step, so the audit chains, the dates
and ``zhenwu enforcement verify-draw`` agree. Running it again keeps plans already there.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import StaffRole, User
from zhenwu.areas.models import Area
from zhenwu.casework.models import AuditEntry, Case, CaseAttachment, CasePause
from zhenwu.casework.services import audit_maintenance
from zhenwu.demo import people
from zhenwu.enforcement.models import InspectionItem, Officer, PenaltyCase
from zhenwu.enforcement.models_inspection import InspectionPlan, InspectionResult
from zhenwu.enforcement.services import inspections as svc
from zhenwu.errors import gettext as _

OFFICERS = 6  # the town's squad: the ``officer`` login and five more
PLANS = (  # (title, days before today of the draw, departments of the items, ratio)
    ("上半年食品经营单位双随机抽查", 200, ("market", "health"), "5"),
    ("第三季度安全生产双随机抽查", 90, ("safety", "fire"), "4"),
)
PROBLEM_SHARE = 0.08


@contextmanager
def on_day(day: dt.date, hour: int = 10) -> Iterator[None]:
    """The services read the clock: run a past step on its own day."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _officers(town: Area, prefix: str, today: dt.date) -> list[Officer]:
    """Certificates for the ``officer`` login and five squad members (made here when the town has none)."""
    users = list(User.objects.filter(username=f"{prefix}officer"))
    for i in range(1, OFFICERS):
        username = f"{prefix}zf{i:02d}"
        user, created = User.objects.get_or_create(username=username, defaults={
            "kind": UserKind.STAFF, "full_name": f"执法队员{i:02d}", "scope_area": town,
            "email": people.demo_email(username), "password": make_password(None)})
        if created:
            StaffRole.objects.get_or_create(user=user, role=Role.ENFORCEMENT_OFFICER)
        users.append(user)
    out = []
    for n, user in enumerate(users, start=1):
        officer, _created = Officer.objects.update_or_create(user=user, defaults={
            "certificate_number": f"{town.code[:6]}{n:08d}", "certificate_valid_from": today - dt.timedelta(days=1000),
            "certificate_valid_until": today + dt.timedelta(days=1000), "area_code": town.code})
        out.append(officer)
    return out


def _plan(town: Area, leader: User, title: str, draw_day: dt.date, departments: tuple[str, ...], ratio: str,
          rng: random.Random) -> InspectionPlan:
    items = list(InspectionItem.objects.filter(department__in=departments).order_by("code")
                 .values_list("code", flat=True)[:3])
    with on_day(draw_day - dt.timedelta(days=9)):
        plan = svc.plan_save(actor=leader, title=title, area_code=town.code, item_codes=items, ratio=ratio)
    with on_day(draw_day - dt.timedelta(days=7)):
        svc.plan_announce(actor=leader, plan_id=plan.pk, draw_date=draw_day,
                          beacon_source=f"中国福利彩票双色球 {draw_day:%Y年%m月%d日} 开奖号码")
    balls = sorted(rng.sample(range(1, 34), 6))
    with on_day(draw_day, 16):
        svc.plan_draw(actor=leader, plan_id=plan.pk,
                      beacon_value=" ".join(f"{b:02d}" for b in balls) + f" + {rng.randint(1, 16):02d}")
    with on_day(draw_day + dt.timedelta(days=1)):
        svc.plan_issue(actor=leader, plan_id=plan.pk)
    for target in plan.targets.order_by("position"):
        day = draw_day + dt.timedelta(days=rng.randint(2, 18))
        # the directory also lists certified legal reviewers (the ``legal`` login); results are recorded by
        # the first drawn inspector who holds the enforcement-officer role
        drawn = Officer.objects.select_related("user").in_bulk(target.inspector_ids)
        recorders = [drawn[pk] for pk in target.inspector_ids if drawn[pk].user.has_role(Role.ENFORCEMENT_OFFICER)]
        officer = recorders[0] if recorders else drawn[target.inspector_ids[0]]
        problem = rng.random() < PROBLEM_SHARE
        with on_day(day, rng.randint(9, 16)):
            svc.target_record(actor=officer.user, target_id=target.pk,
                              result=InspectionResult.PROBLEM if problem else InspectionResult.NO_PROBLEM,
                              note="现场检查发现台账缺失，相关制度未落实" if problem else "")
    with on_day(draw_day + dt.timedelta(days=22)):
        svc.plan_publish(actor=leader, plan_id=plan.pk)
    with on_day(draw_day + dt.timedelta(days=30)):
        return svc.plan_close(actor=leader, plan_id=plan.pk)


def inspections_build(*, town_code: str, prefix: str, seed: int, progress: Callable[..., None]) -> int:
    """Two completed plans in the town (kept when they exist); returns the plans written."""
    town = Area.objects.get(code=town_code)
    leader = User.objects.filter(username=f"{prefix}leader").first()
    today = timezone.localdate()
    _officers(town, prefix, today)
    if leader is None or InspectionPlan.objects.filter(area_code=town_code, title__in=[p[0] for p in PLANS]).exists():
        progress(_("Town %(code)s: random-inspection plans already there, kept (%(seconds).1f s)"), code=town_code)
        return 0
    rng = random.Random(f"zhenwu-demo/{seed}/inspections")
    for title, days_ago, departments, ratio in PLANS:
        _plan(town, leader, title, today - dt.timedelta(days=days_ago), departments, ratio, rng)
    progress(_("Town %(code)s: %(plans)d completed random-inspection plans written (%(seconds).1f s)"),
             code=town_code, plans=len(PLANS))
    return len(PLANS)


def inspections_wipe(area_prefix: str) -> int:
    """Delete the plans under ``area_prefix`` and the penalty cases their findings opened (the demo reset)."""
    plans = InspectionPlan.objects.filter(area_code__startswith=area_prefix)
    cases = Case.objects.filter(pk__in=PenaltyCase.objects.filter(
        Q(case__area_code__startswith=area_prefix), source="random_inspection").values("case_id"))
    with audit_maintenance(reason="the demo reset deletes the demo's own chains"):
        AuditEntry.objects.filter(Q(case__in=cases) | Q(subject__in=[f"enforcement.plan:{n}" for n in
                                                                     plans.values_list("number", flat=True)])).delete()
    CasePause.objects.filter(case__in=cases).delete()
    CaseAttachment.objects.filter(case__in=cases).delete()
    cases.delete()
    return plans.delete()[0]
