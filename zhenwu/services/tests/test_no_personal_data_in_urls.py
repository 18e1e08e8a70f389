"""No personal data in addresses: the queue's search is POSTed and the address carries only a token;
tracking takes its code in the body; the API refuses an ID number or mobile in the query string."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from zhenwu.services.tests.factories import window_app
from zhenwu.testing import PASSWORD, VALID_ID

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_search_by_id_number_never_reaches_the_address(hall: Any, item: Any) -> None:
    app = window_app(hall)
    client = login(hall.clerk)
    form = client.get("/services/").content.decode()
    assert re.search(r'<form class="queue-filters" method="post"', form)
    r = client.post("/services/", {"tab": "all", "q": VALID_ID})
    assert r.status_code == 302 and VALID_ID not in r["Location"] and "s=" in r["Location"]
    page = client.get(r["Location"]).content.decode()
    assert f'data-number="{app.case.number}"' in page
    assert VALID_ID not in re.sub(r'value="[^"]*"', "", page.split('id="queue-table"')[1])


def test_the_htmx_search_answers_the_table_and_a_clean_address(hall: Any, item: Any) -> None:
    window_app(hall)
    r = login(hall.clerk).post("/services/", {"tab": "all", "q": "13512342210"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "13512342210" not in r["HX-Push-Url"] and "data-number" in r.content.decode()


def test_another_session_cannot_replay_the_search_token(hall: Any, item: Any) -> None:
    window_app(hall)
    r = login(hall.clerk).post("/services/", {"tab": "all", "q": VALID_ID})
    other = login(hall.clerk2).get(r["Location"]).content.decode()
    assert VALID_ID not in other


def test_the_api_takes_personal_searches_in_the_body(hall: Any, item: Any) -> None:
    app = window_app(hall)
    client = login(hall.clerk)
    r = client.get("/api/v1/services/applications", {"q": VALID_ID})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "q"
    r = client.post("/api/v1/services/applications/search", json.dumps({"q": VALID_ID}),
                    content_type="application/json")
    assert r.status_code == 200 and [a["number"] for a in r.json()["items"]] == [app.case.number]
    assert client.get("/api/v1/services/applications", {"q": "王"}).status_code == 200
