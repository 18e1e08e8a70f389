"""Grid staffing with history, one current leader per level-1 grid, and the grid file (page and API)."""

from __future__ import annotations

import datetime

import pytest

from zhenwu.accounts.choices import Role
from zhenwu.errors import FieldError
from zhenwu.registry import services
from zhenwu.registry.tests import factories as f
from zhenwu.testing import GRID1_A, GRID_A, make_staff

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 1)


@pytest.fixture
def grid1(town):
    return town.grid_a.parent


def test_an_ended_assignment_stays_as_history(personas, town):
    row = services.grid_assignment_start(actor=personas.admin, grid=town.grid_a, user=personas.grid_worker_a,
                                         duty="worker", started_on=DAY)
    services.grid_assignment_end(actor=personas.admin, assignment=row, ended_on=DAY + datetime.timedelta(days=30))
    again = services.grid_assignment_start(actor=personas.admin, grid=town.grid_a, user=personas.grid_worker_a,
                                           duty="worker", started_on=DAY + datetime.timedelta(days=60))
    body = f.client_for(personas.town_staff).get(f"/api/v1/registry/grids/{GRID_A}").json()
    assert [a["id"] for a in body["current_staff"]] == [again.pk]
    assert [a["id"] for a in body["past_staff"]] == [row.pk]


def test_a_level1_grid_has_at_most_one_current_leader(personas, grid1):
    one, two = (make_staff(n, roles=[Role.GRID_LEADER], scope=grid1) for n in ("lead1", "lead2"))
    services.grid_assignment_start(actor=personas.admin, grid=grid1, user=one, duty="leader", started_on=DAY)
    with pytest.raises(FieldError) as exc:
        services.grid_assignment_start(actor=personas.admin, grid=grid1, user=two, duty="leader", started_on=DAY)
    assert exc.value.status == 409


def test_it_rejects_a_leader_on_a_level2_grid_and_a_user_outside_the_grid(personas, town):
    with pytest.raises(FieldError) as exc:
        services.grid_assignment_start(actor=personas.admin, grid=town.grid_a, user=personas.grid_worker_a,
                                       duty="leader", started_on=DAY)
    assert exc.value.field == "duty"
    with pytest.raises(FieldError) as exc:
        services.grid_assignment_start(actor=personas.admin, grid=town.grid_a, user=personas.grid_worker_b,
                                       duty="worker", started_on=DAY)
    assert exc.value.field == "user"


def test_ending_twice_is_a_conflict(personas, town):
    row = f.assignment(town.grid_a, personas.grid_worker_a, "worker")
    services.grid_assignment_end(actor=personas.admin, assignment=row, ended_on=DAY)
    with pytest.raises(FieldError) as exc:
        services.grid_assignment_end(actor=personas.admin, assignment=row, ended_on=DAY)
    assert exc.value.status == 409


def test_the_api_starts_and_ends_an_assignment(personas, town):
    client = f.client_for(personas.admin)
    made = client.post("/api/v1/registry/grid-assignments", {"grid": GRID_A, "user_id": personas.grid_worker_a.pk,
                                                             "duty": "worker", "started_on": "2025-03-01"},
                       content_type="application/json")
    assert made.status_code == 201, made.content
    ended = client.post(f"/api/v1/registry/grid-assignments/{made.json()['id']}/end", {"ended_on": "2025-04-01"},
                        content_type="application/json")
    assert ended.json()["current"] is False


def test_the_grid_file_api_counts_each_kind_and_tag(personas, town):
    f.resident(town.grid_a, tags=("dibao", "party"))
    f.resident(town.grid_a, tags=("dibao",))
    f.resident(town.grid_b)
    f.household(town.grid_a), f.enterprise(town.grid_a), f.place(town.grid_a), f.camera(town.grid_a)
    body = f.client_for(personas.grid_worker_a).get(f"/api/v1/registry/grids/{GRID_A}").json()
    assert body["counts"] == {"households": 1, "residents": 2, "enterprises": 1, "places": 1, "cameras": 1}
    assert body["residents_by_tag"] == {"dibao": 2, "party": 1}
    town_body = f.client_for(personas.town_staff).get(f"/api/v1/registry/grids/{GRID1_A}").json()
    assert town_body["counts"]["residents"] == 2 and [g["code"] for g in town_body["sub_grids"]] == [GRID_A]


def test_the_grid_file_is_404_outside_the_scope(personas):
    assert f.client_for(personas.grid_worker_b).get(f"/api/v1/registry/grids/{GRID_A}").status_code == 404
    assert f.client_for(personas.grid_worker_b).get(f"/registry/grids/{GRID_A}/").status_code == 404


def test_the_grid_file_page_shows_staff_counts_and_a_tab(personas, town):
    f.assignment(town.grid_a, personas.grid_worker_a, "worker")
    f.camera(town.grid_a, name="村口探头")
    page = f.client_for(personas.town_staff).get(f"/registry/grids/{GRID_A}/?tab=cameras").content.decode()
    assert "gw_a" in page and "村口探头" in page and 'id="grid-map"' in page
