"""`zhenwu demo`, read once built (one build for the module): the town, its accounts and logins, the printed table,
the base data and the grid staffing."""

from __future__ import annotations

import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F
from shapely.geometry import shape

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.areas.index import locate
from zhenwu.areas.models import Area
from zhenwu.demo.tests.test_demo_basedata import counts
from zhenwu.demo.tests.test_demo_command import level_counts, user_mobile
from zhenwu.registry.models import Camera, Enterprise, GridAssignment, Household, Place, Resident

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_built_command")]


def test_it_builds_the_town_in_the_database(demo_built):
    out = demo_built.out
    assert level_counts() == {"town": 1, "village": 12, "grid1": 12, "grid2": 49, "special": 2}
    assert 88e6 <= (Area.objects.get(code="321181102").area_m2 or 0) <= 96e6
    assert Area.objects.get(code="321181").level == "county"
    assert "321181102" in out and "clerk" in out


def test_every_stored_child_lies_inside_its_stored_parent(demo_built):
    for area in Area.objects.exclude(parent=None).select_related("parent"):
        assert area.parent is not None
        assert shape(area.parent.geometry).buffer(1e-6).covers(shape(area.geometry)), area.code


def test_one_account_per_role_can_log_in(demo_built, client):
    logins = json.loads((demo_built.data_dir / "demo_logins.json").read_text(encoding="utf-8"))
    roles = [row["role"] for row in logins]
    assert set(roles) == {*Role.values, UserKind.CITIZEN, UserKind.ENTERPRISE}
    # one login per role, plus the handling department's staff member (处置人员, an enforcement officer)
    assert len(roles) == len(Role.values) + 3
    assert [row["username"] for row in logins if row["role_label"] == "处置部门人员"] == ["handler"]
    for row in logins:
        assert set(row) == {"username", "password", "role", "role_label", "scope", "mobile"}
        assert row["mobile"] == user_mobile(row["username"])
        assert client.login(username=row["username"], password=row["password"]), row["username"]
        client.logout()
        user = User.objects.get(username=row["username"])
        assert row["role"] in ({user.kind} if user.kind != UserKind.STAFF else user.roles)


def test_staff_scopes_follow_their_role(demo_built):
    scopes = dict(User.objects.filter(username__in=["clerk", "gridleader", "gridworker", "info", "village"])
                  .values_list("username", "scope_area__level"))
    assert scopes == {"clerk": "town", "gridleader": "grid1", "gridworker": "grid2", "info": "grid2",
                      "village": "village"}
    worker, leader = (User.objects.get(username=u).scope_code or "" for u in ("gridworker", "gridleader"))
    assert worker.startswith(leader) and len(worker) == len(leader) + 3
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser and not User.objects.get(username="clerk").is_superuser


def test_every_level2_and_special_grid_has_a_grid_worker(demo_built):
    staffed = set(User.objects.filter(role_assignments__role=Role.GRID_WORKER)
                  .values_list("scope_area__code", flat=True))
    assert staffed == set(Area.objects.filter(level__in=["grid2", "special"]).values_list("code", flat=True))


def test_citizen_and_enterprise_numbers_are_valid(demo_built):
    from stdnum.cn import ric, uscc

    assert ric.is_valid(User.objects.get(username="citizen").id_number or "")
    assert uscc.is_valid(User.objects.get(username="enterprise").uscc or "")


def test_it_prints_the_logins_once_as_an_aligned_table_with_mobiles(demo_built):
    from zhenwu.demo.management.commands.demo import _width

    out = demo_built.out
    logins = len(Role.values) + 3  # a login per role, the handling department's staff member, citizen, enterprise
    table = out[out.index("用户名"):].splitlines()[:logins + 1]
    header, rows = table[0], {line.split()[0]: line for line in table[1:]}
    assert "手机号" in header and out.count("Zhenwu#2026") == logins
    citizen = rows["citizen"]
    assert user_mobile("citizen") in citizen and user_mobile("enterprise") in rows["enterprise"]
    # each column starts at the same terminal column on every row (CJK characters are two columns wide)
    def starts(line: str, value: str) -> int:
        return _width(line[:line.index(value)])
    mobile_at = {starts(rows[u], user_mobile(u)) for u in ("clerk", "citizen", "enterprise", "gridworker", "handler")}
    assert len(mobile_at) == 1 and {starts(r, "Zhenwu#2026") for r in rows.values()} == {starts(header, "密码")}


def test_serve_lists_no_logins_even_in_demo_mode(demo_built, settings, monkeypatch):
    """The logins were printed once by `zhenwu demo`; `serve --demo` points to the login page instead."""
    import waitress

    from zhenwu.web.management.commands import serve as serve_command

    settings.DEMO_MODE = False  # serve --demo turns it on; the fixture then puts it back
    monkeypatch.setattr(waitress, "serve", lambda *args, **kwargs: None)
    monkeypatch.setattr(serve_command, "_start_ticker", lambda every: None)  # no real process beside the test
    # serve closes the connections before forking its workers: here that would end the module's shared build
    monkeypatch.setattr(serve_command.connections, "close_all", lambda: None)
    said = {}
    for flag in ("--demo", ""):
        out = io.StringIO()
        call_command("serve", "--server", "waitress", "--port", "8799", *([flag] if flag else []), stdout=out)
        said[flag] = out.getvalue()
    assert not any("Zhenwu#2026" in text or "clerk" in text for text in said.values())
    assert "登录页" in said["--demo"] and "登录页" not in said[""]


# The base data and grid staffing of that build.

def test_it_writes_every_kind_and_reports_progress(demo_built):
    out = demo_built.out
    assert all(counts().values()), counts()
    assert "residents" in out or "居民" in out
    assert Household.objects.filter(head=None).count() == 0


def test_every_head_is_a_member_of_their_household(demo_built):
    assert not Household.objects.exclude(head__household=F("pk")).exists()
    assert not Resident.objects.filter(household=None).exists()


def test_every_row_lies_in_its_grid(demo_built):
    for model in (Household, Resident, Enterprise, Place, Camera):
        for row in model.objects.select_related("grid")[:200]:
            assert row.area_code == row.grid.code
            found = locate(row.lng or 0.0, row.lat or 0.0)
            assert row.grid.code in [found.grid_code, *(g["code"] for g in found.special_grids)], row


def test_grid_staffing_has_61_workers_and_183_information_officers(demo_built):
    duties = Counter(GridAssignment.objects.filter(ended_on=None).values_list("duty", flat=True))
    assert duties == {"leader": 12, "worker": 59, "special": 2, "info_officer": 183}
    assert GridAssignment.objects.exclude(ended_on=None).exists()  # some history
    officer = User.objects.get(username="info")
    assert officer.grid_assignments.get(ended_on=None).grid == officer.scope_area
    assert set(officer.roles) == {Role.INFO_OFFICER}
