"""电子监察 page, API and ledger export: access by role, bad dates, masked xlsx."""

import io

import pytest
from openpyxl import load_workbook

from zhenwu.accounts.choices import Role
from zhenwu.services.supervision import at_risk_list, overdue_list
from zhenwu.services.tests.supervision_factories import march_set, other_town_supervisor, shaped, supervisor
from zhenwu.testing import PASSWORD, local

pytestmark = pytest.mark.django_db
PAGE = "/services/supervision/"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.LEADER, Role.ADMIN])
def test_it_shows_the_page_to_supervising_roles(client, hall, item, town, role):
    march_set(hall)
    page = login(client, supervisor(town, role=role)).get(PAGE, {"from": "2026-03-01", "to": "2026-03-31"})
    assert page.status_code == 200
    assert "老年人优待证" in page.content.decode()


def test_the_statistics_name_each_rating_level_not_its_number(client, hall, item, town):
    """A clerk reads 非常满意 … 非常不满意 over the rating columns, not 评价 5 … 评价 1."""
    march_set(hall)
    body = login(client, supervisor(town)).get(PAGE, {"from": "2026-03-01", "to": "2026-03-31"}).content.decode()
    head = body.split("<th>非常满意</th>")[1].split("</thead>")[0]
    assert [label in head for label in ("满意", "基本满意", "非常不满意")] == [True, True, True]
    assert "评价 5" not in body


@pytest.mark.parametrize("who", ["clerk", "reviewer", "village_a", "officer_a"])
def test_it_refuses_other_roles(client, hall, who):
    assert login(client, getattr(hall, who)).get(PAGE).status_code == 403
    assert client.get(PAGE + "ledger.xlsx").status_code == 403
    assert client.get("/api/v1/services/supervision/stats").status_code == 403


def test_citizens_do_not_find_the_staff_page_or_the_api(client, hall):
    login(client, hall.citizen)
    assert client.get(PAGE).status_code == 404  # staff pages are not the citizens' to know
    assert client.get("/api/v1/services/supervision/overdue").status_code == 403


def test_a_bad_date_shows_the_form_again_with_the_error(client, town):
    page = login(client, supervisor(town)).get(PAGE, {"from": "2026-02-31"})
    assert page.status_code == 400
    assert 'name="from"' in page.content.decode() and "errorlist" in page.content.decode()


def test_the_page_lists_overdue_and_at_risk_cases(client, hall, item, town, clock):
    clock.now = local(2026, 3, 30, 9)
    red = shaped(hall, filed=local(2026, 3, 2, 9), due=local(2026, 3, 5, 23, 59), light="red")
    yellow = shaped(hall, filed=local(2026, 3, 26, 9), due=local(2026, 3, 31, 23, 59), light="yellow")
    user = supervisor(town)
    assert [a.pk for a in overdue_list(user=user)] == [red.pk]
    assert [a.pk for a in at_risk_list(user=user)] == [yellow.pk]
    body = login(client, user).get(PAGE).content.decode()
    assert red.case.number in body and yellow.case.number in body
    api = client.get("/api/v1/services/supervision/overdue").json()
    assert [r["number"] for r in api] == [red.case.number]


def test_the_stats_api_groups_and_validates(client, hall, item, town):
    march_set(hall)
    login(client, supervisor(town))
    data = client.get("/api/v1/services/supervision/stats",
                      {"from": "2026-03-01", "to": "2026-03-31", "group": "channel"}).json()
    assert data["total"]["cases"] == 3 and data["rows"][0]["on_time_rate"] == 0.5
    bad = client.get("/api/v1/services/supervision/stats", {"from": "2026-03-01", "to": "2026-02-01"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "to"
    assert client.get("/api/v1/services/supervision/stats", {"group": "x"}).json()["errors"][0]["field"] == "group"


def test_the_other_towns_supervisor_gets_an_empty_ledger(client, hall, item, town):
    march_set(hall)
    login(client, other_town_supervisor(town))
    book = load_workbook(io.BytesIO(client.get(PAGE + "ledger.xlsx", {"from": "2026-03-01"}).content))
    assert book.active.max_row == 1


def test_the_ledger_opens_with_openpyxl_and_is_masked(client, hall, item, town):
    apps = march_set(hall)
    response = login(client, supervisor(town)).get(PAGE + "ledger.xlsx", {"from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4 and {r[0] for r in rows[1:]} == {a.case.number for a in apps[:3]}
    text = repr(rows)
    assert "王芳" not in text and apps[0].applicant_id_number not in text and "13512342210" not in text


def test_it_opens_on_the_latest_month_with_applications(client, hall, item, town, clock):
    march_set(hall)  # the last filed on 1 April 2026
    clock.now = local(2026, 11, 20, 10)
    page = login(client, supervisor(town)).get(PAGE)
    assert page.context["period"].start.isoformat() == "2026-04-01"
    assert page.context["period"].end.isoformat() == "2026-04-30" and "老年人优待证" in page.content.decode()
    assert client.get(PAGE, {"from": "2026-11-01", "to": "2026-11-30"}).context["rows"] == []
