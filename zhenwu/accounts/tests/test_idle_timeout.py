"""Idle sessions end after SESSION_IDLE_MINUTES without a request."""

from django.test import Client

from zhenwu.accounts.middleware import LAST_ACTIVITY_KEY
from zhenwu.testing import Personas


def age_session(client: Client, minutes: float) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = session[LAST_ACTIVITY_KEY] - minutes * 60
    session.save()


def test_it_logs_out_after_thirty_idle_minutes(client: Client, personas: Personas) -> None:
    client.force_login(personas.town_staff)
    assert client.get("/").status_code == 200
    age_session(client, 31)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session
    assert client.get(response["Location"]).context["idle_notice"]


def test_it_keeps_an_active_session(client: Client, personas: Personas) -> None:
    client.force_login(personas.town_staff)
    client.get("/")
    age_session(client, 29)
    assert client.get("/").status_code == 200
    age_session(client, 29)  # 58 minutes since login, never 30 idle
    assert client.get("/").status_code == 200
