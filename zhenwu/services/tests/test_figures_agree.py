"""One definition of 在办 and of each light: the queue's counts and light filter, the API, 电子监察's
counts and lists agree, and they are the lights of now — not the stored ones of the last tick."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from zhenwu.services import supervision as sv
from zhenwu.services.models import Application
from zhenwu.services.services import (
    application_accept,
    application_deliver,
    application_finish,
    application_request_supplement,
)
from zhenwu.services.tests.factories import make_item, window_app
from zhenwu.testing import PASSWORD, local

pytestmark = pytest.mark.django_db


def _accepted(hall: Any) -> Application:
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)
    return app


@pytest.fixture
def cases(hall: Any, clock: Any) -> dict[str, str]:
    """Monday 2025-10-13 10:00, no tick since the cases moved (3 working days promised, no review)."""
    make_item(chain=[])
    late, paused, handed, delivered = (_accepted(hall) for _ in range(4))  # 09-30: due end of 10-11
    clock.now = local(2025, 10, 9, 10)
    due_today = _accepted(hall)  # due end of 10-13: yellow on the 13th
    clock.now = local(2025, 10, 13, 10)
    fresh = _accepted(hall)  # due 10-16: green
    waiting = window_app(hall)  # not accepted: in progress, no light
    application_request_supplement(actor=hall.clerk, application=paused, missing=["户口簿"])  # red when paused
    for app in (handed, delivered):
        application_finish(actor=hall.clerk, application=app)  # decided late: waits for 出件, not in progress
    application_deliver(actor=hall.clerk, application=delivered, mode="window", signature="王芳")
    return {"late": late.case.number, "paused": paused.case.number, "yellow": due_today.case.number,
            "green": fresh.case.number, "waiting": waiting.case.number}


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_every_figure_counts_the_same_cases_by_the_light_of_now(hall: Any, cases: dict[str, str]) -> None:
    expected = {"green": 1, "yellow": 1, "red": 2}
    leader = hall.leader
    client = _client(leader)

    page = client.get("/services/?tab=all")
    assert page.context["lights"] == expected
    api = client.get("/api/v1/services/applications").json()
    assert api["counts"]["lights"] == expected and api["counts"]["in_progress"] == 5
    assert {k: v for k, v in sv.light_counts(user=leader).items() if k != "none"} == expected
    assert sv.light_counts(user=leader)["none"] == 1
    supervision = client.get("/services/supervision/")
    assert {k: supervision.context["lights"][k] for k in expected} == expected

    reds = client.get("/api/v1/services/applications?light=red").json()
    assert {a["number"] for a in reds["items"]} == {cases["late"], cases["paused"]} == {
        a.case.number for a in sv.overdue_list(user=leader)}
    yellows = client.get("/api/v1/services/applications?light=yellow").json()
    assert {a["number"] for a in yellows["items"]} == {cases["yellow"]} == {
        a.case.number for a in sv.at_risk_list(user=leader)}
    greens = client.get("/services/?tab=all&light=green")
    assert set(re.findall(r'data-number="([^"]+)"', greens.content.decode())) == {cases["green"]}
    assert sv.running_list(user=leader).count() == 5


def test_the_queue_shows_the_light_of_now_on_each_row(hall: Any, cases: dict[str, str]) -> None:
    body = _client(hall.leader).get("/services/?tab=all").content.decode()
    row = re.search(rf'data-number="{cases["late"]}">.*?</tr>', body, re.S)
    assert row and 'data-light="red"' in row.group(0)
