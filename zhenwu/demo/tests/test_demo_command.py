"""`zhenwu demo`: the town in the database, idempotent re-runs, --reset and --towns."""

from __future__ import annotations

import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely.geometry import shape

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import Department, User
from zhenwu.areas.models import Area

pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    """The command on a small town (the grids and staff are complete at any scale)."""
    out = io.StringIO()
    call_command("demo", *args, *([] if "--scale" in args else ["--scale", "0.01"]), stdout=out)
    return out.getvalue()


def user_mobile(username: str) -> str:
    return User.objects.get(username=username).mobile or ""


def level_counts(prefix: str = "321181102") -> Counter[str]:
    return Counter(Area.objects.filter(code__startswith=prefix).values_list("level", flat=True))


def snapshot() -> tuple[int, int, int, list[tuple[str, str]]]:
    areas = list(Area.objects.order_by("code").values_list("code", "geometry"))
    return (User.objects.count(), Department.objects.count(), Area.objects.count(),
            [(code, json.dumps(geom, sort_keys=True)) for code, geom in areas])


def test_it_builds_the_town_in_the_database(demo_settings):
    out = demo()
    assert level_counts() == {"town": 1, "village": 12, "grid1": 12, "grid2": 49, "special": 2}
    assert 88e6 <= (Area.objects.get(code="321181102").area_m2 or 0) <= 96e6
    assert Area.objects.get(code="321181").level == "county"
    assert "321181102" in out and "clerk" in out


def test_every_stored_child_lies_inside_its_stored_parent(demo_settings):
    demo()
    for area in Area.objects.exclude(parent=None).select_related("parent"):
        assert area.parent is not None
        assert shape(area.parent.geometry).buffer(1e-6).covers(shape(area.geometry)), area.code


def test_one_account_per_role_can_log_in(demo_settings, client):
    demo()
    logins = json.loads((demo_settings.DATA_DIR / "demo_logins.json").read_text(encoding="utf-8"))
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


def test_staff_scopes_follow_their_role(demo_settings):
    demo()
    scopes = dict(User.objects.filter(username__in=["clerk", "gridleader", "gridworker", "info", "village"])
                  .values_list("username", "scope_area__level"))
    assert scopes == {"clerk": "town", "gridleader": "grid1", "gridworker": "grid2", "info": "grid2",
                      "village": "village"}
    worker, leader = (User.objects.get(username=u).scope_code or "" for u in ("gridworker", "gridleader"))
    assert worker.startswith(leader) and len(worker) == len(leader) + 3
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser and not User.objects.get(username="clerk").is_superuser


def test_every_level2_and_special_grid_has_a_grid_worker(demo_settings):
    demo()
    staffed = set(User.objects.filter(role_assignments__role=Role.GRID_WORKER)
                  .values_list("scope_area__code", flat=True))
    assert staffed == set(Area.objects.filter(level__in=["grid2", "special"]).values_list("code", flat=True))


def test_citizen_and_enterprise_numbers_are_valid(demo_settings):
    from stdnum.cn import ric, uscc

    demo()
    assert ric.is_valid(User.objects.get(username="citizen").id_number or "")
    assert uscc.is_valid(User.objects.get(username="enterprise").uscc or "")


def test_running_again_does_not_duplicate(demo_settings):
    demo("--seed", "3")
    first = snapshot()
    demo("--seed", "3")
    assert snapshot() == first


def test_another_seed_replaces_the_town_without_leftovers(demo_settings):
    demo("--seed", "1")
    demo("--seed", "2")
    assert level_counts() == {"town": 1, "village": 12, "grid1": 12, "grid2": 49, "special": 2}
    assert User.objects.filter(role_assignments__role=Role.GRID_WORKER).count() == 61
    assert User.objects.filter(role_assignments__role=Role.INFO_OFFICER).count() == 183


def test_reset_deletes_the_demo_and_builds_it_again(demo_settings):
    demo()
    first = snapshot()
    Area.objects.filter(code="321181102201001").update(name="renamed")
    out = demo("--reset")
    assert "deleted" in out.lower() or "删除" in out
    assert snapshot() == first


def test_two_towns_get_their_own_grids_and_prefixed_logins(demo_settings, client):
    demo("--towns", "2")
    for code in ("321181102", "321181103"):
        assert level_counts(code) == {"town": 1, "village": 12, "grid1": 12, "grid2": 49, "special": 2}
    assert User.objects.get(username="t103_clerk").scope_code == "321181103"
    county = shape(Area.objects.get(code="321181").geometry)
    assert all(county.covers(shape(t.geometry)) for t in Area.objects.filter(level="town"))
    assert client.login(username="t103_gridworker", password="Zhenwu#2026")


def test_it_refuses_to_overwrite_an_account_that_is_not_a_demo_account(demo_settings):
    User.objects.create_user(username="admin", password="Real#Secret9", email="root@example.org")
    with pytest.raises(CommandError) as excinfo:
        demo("--force")  # past the check for foreign data: the clash itself stops it
    assert excinfo.value.returncode == 2
    assert User.objects.get(username="admin").check_password("Real#Secret9")
    assert not Area.objects.filter(code__startswith="321181").exists()


def test_reset_refuses_while_a_real_account_is_scoped_in_the_demo_county(demo_settings):
    demo()
    User.objects.create_user(username="real", scope_area=Area.objects.get(code="321181102"))
    with pytest.raises(CommandError):
        demo("--reset")
    assert User.objects.filter(username="clerk").exists()
    assert level_counts()["grid2"] == 49


def test_it_rejects_a_bad_number_of_towns(demo_settings):
    with pytest.raises(CommandError) as excinfo:
        demo("--towns", "0")
    assert excinfo.value.returncode == 2


def test_it_prints_the_logins_once_as_an_aligned_table_with_mobiles(demo_settings):
    from zhenwu.demo.management.commands.demo import _width

    out = demo()
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


def test_serve_lists_no_logins_even_in_demo_mode(demo_settings, monkeypatch):
    """The logins were printed once by `zhenwu demo`; `serve --demo` points to the login page instead."""
    import waitress

    demo()
    demo_settings.DEMO_MODE = False  # serve --demo turns it on; the fixture then puts it back
    monkeypatch.setattr(waitress, "serve", lambda *args, **kwargs: None)
    said = {}
    for flag in ("--demo", ""):
        out = io.StringIO()
        call_command("serve", "--server", "waitress", "--port", "8799", *([flag] if flag else []), stdout=out)
        said[flag] = out.getvalue()
    assert not any("Zhenwu#2026" in text or "clerk" in text for text in said.values())
    assert "登录页" in said["--demo"] and "登录页" not in said[""]
