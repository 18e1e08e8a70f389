"""/grid/scores/, /grid/indicators/ and their API: the ranking, a ledger linked to its sources, the xlsx, bad
input, and who sees what."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from zhenwu.accounts.choices import Role
from zhenwu.grid.services.points import points_recompute
from zhenwu.grid.tests.scoring_world import OCTOBER, WORKER_A_POINTS, World, build
from zhenwu.testing import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(town, personas, staff, categories, clock) -> World:
    built = build(town, personas, staff, clock)
    points_recompute(month=OCTOBER)
    return built


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_ranking_ranks_per_town_and_per_grid(world, personas, staff) -> None:
    body = client_of(staff.dispatcher).get("/api/v1/grid/scores/?month=2025-10").json()
    rows = {r["name"]: r for r in body["items"]}
    assert set(rows) == {"gw_a", "gw_b", "village_leader"}
    assert rows["gw_a"]["total"] == WORKER_A_POINTS and rows["gw_a"]["town_rank"] == 1
    assert rows["gw_a"]["grid_rank"] == 1 and rows["gw_a"]["by_rule"]["overdue_verification"] == -4
    assert rows["gw_b"]["total"] == 0 and rows["gw_b"]["town_rank"] == rows["village_leader"]["town_rank"] == 2
    assert rows["gw_b"]["grid_rank"] == 1  # alone in grid B
    assert {r["key"]: r["points"] for r in body["rules"]}["invalid_report"] == -2
    grid_b = client_of(staff.dispatcher).get(f"/api/v1/grid/scores/?month=2025-10&area={rows['gw_b']['grid_code']}")
    assert [r["name"] for r in grid_b.json()["items"]] == ["gw_b"]


def test_every_ledger_line_links_to_its_source(world, personas, staff) -> None:
    worker = personas.grid_worker_a
    body = client_of(worker).get("/api/v1/grid/scores/ledger?month=2025-10").json()
    assert body["total"] == WORKER_A_POINTS and len(body["lines"]) == 11
    links = {line["source_kind"]: line["source_url"] for line in body["lines"]}
    assert links["visit"].startswith("/grid/households/")
    assert links["patrol"] == f"/api/v1/grid/patrols/{world.patrol.pk}"
    assert world.sj1.case.number in links["incident"]
    page = client_of(staff.dispatcher).get(f"/grid/scores/workers/{worker.pk}/?month=2025-10")
    assert page.status_code == 200 and links["visit"] in page.content.decode()
    assert f'data-total="{WORKER_A_POINTS}"' in page.content.decode()


def test_a_grid_worker_sees_their_own_ledger_and_no_one_elses(world, personas) -> None:
    own = client_of(personas.grid_worker_a).get("/grid/scores/?month=2025-10")
    assert own.status_code == 200 and f'data-total="{WORKER_A_POINTS}"' in own.content.decode()
    other = client_of(personas.grid_worker_b)
    assert other.get(f"/grid/scores/workers/{personas.grid_worker_a.pk}/").status_code == 404
    assert other.get(f"/api/v1/grid/scores/ledger?worker={personas.grid_worker_a.pk}").status_code == 404
    assert other.get("/api/v1/grid/scores/ledger?month=2025-10").json()["total"] == 0


def test_a_grid_leader_ranks_only_their_village(world, town, staff) -> None:
    rows = client_of(staff.village_leader).get("/api/v1/grid/scores/?month=2025-10").json()["items"]
    assert {r["name"] for r in rows} == {"gw_a", "village_leader"}
    elsewhere = make_staff("leader_b", roles=[Role.GRID_LEADER], scope=town.village_b)
    assert [r["name"] for r in client_of(elsewhere).get("/api/v1/grid/scores/?month=2025-10").json()["items"]] == [
        "gw_b", "leader_b"]


def test_the_ranking_exports_as_xlsx(world, staff) -> None:
    response = client_of(staff.dispatcher).get("/grid/scores/ranking.xlsx?month=2025-10")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('points-2025-10.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("镇（街道）", "镇内排名", "网格", "网格内排名", "网格员", "积分")
    assert rows[1][4:6] == ("gw_a", WORKER_A_POINTS) and len(rows) == 4


def test_the_indicators_page_draws_charts_with_their_tables(world, staff) -> None:
    page = client_of(staff.dispatcher).get("/grid/indicators/?month=2025-10&level=village")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-chart="chart-data-closure_rate"' in html and "<details" in html
    assert "结案率" in html and "东山村" in html and "level=grid&amp;area=321181102201" in html
    api = client_of(staff.dispatcher).get("/api/v1/grid/indicators/?month=2025-10&level=village").json()
    assert api["rows"][0]["values"]["closure_rate"] == 33.3
    formulas = {d["key"]: d["formula"] for d in api["indicators"]}
    assert formulas["accurate_dispatch_rate"] == "(dispatched - returned) / dispatched"


@pytest.mark.parametrize(("url", "field"), [
    ("/api/v1/grid/indicators/?month=2025-13", "month"), ("/api/v1/grid/indicators/?level=county", "level"),
    ("/api/v1/grid/scores/?month=oct", "month"), ("/api/v1/grid/scores/?area=abc", "area"),
    ("/api/v1/grid/scores/ledger?month=2025-1", "month"),
])
def test_bad_input_answers_400_naming_the_field(world, staff, url, field) -> None:
    response = client_of(staff.dispatcher).get(url)
    assert response.status_code == 400
    assert field in str(response.json())


@pytest.mark.parametrize("url", ["/grid/indicators/?month=2025-13", "/grid/scores/?month=x",
                                 "/grid/indicators/?level=county"])
def test_a_bad_month_on_a_page_shows_the_form_again(world, staff, url) -> None:
    response = client_of(staff.dispatcher).get(url)
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("url", ["/grid/scores/?month=2025-10", "/grid/scores/ranking.xlsx?month=2025-10",
                                 "/grid/indicators/?month=2025-10", "/grid/indicators/?month=2025-10&level=grid",
                                 "/grid/indicators/?month=bad", "/grid/scores/workers/{worker}/?month=2025-10"])
def test_the_pages_and_the_export_read_in_chinese(world, personas, staff, url) -> None:
    from zhenwu.web.tests.english import english_words, response_text

    response = client_of(staff.dispatcher).get(url.format(worker=personas.grid_worker_a.pk))
    text = response_text(response["Content-Type"], response.content)
    people = {"dispatcher", "gw_a", "gw_b", "village_leader"}  # the test users' names are data, not the page's
    assert text and [w for w in english_words(text) if w not in people] == []


def test_a_month_without_points_says_so_rather_than_rank_everyone_first_silently(world, staff) -> None:
    page = client_of(staff.dispatcher).get("/grid/scores/?month=2025-12").content.decode()
    assert "data-no-points" in page and "本月还没有记分" in page
    assert "data-no-points" not in client_of(staff.dispatcher).get("/grid/scores/?month=2025-10").content.decode()
