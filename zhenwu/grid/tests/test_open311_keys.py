"""Open311 api_keys: printed once by `zhenwu open311 client add` or shown once in the admin, stored only
as a hash, replaced or disabled at will."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from zhenwu.grid.models import Open311Client
from zhenwu.grid.open311.clients import open311_client_lookup

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("open311", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_add_prints_a_key_that_is_stored_only_hashed():
    key = run("client", "add", "市民通", "--contact", "ops@example.org")
    client = Open311Client.objects.get(name="市民通")
    assert client.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = " ".join(str(v) for v in Open311Client.objects.values().get().values())
    secret = key.split("_", 2)[2]  # token_urlsafe may itself contain "_"
    assert key not in stored and secret not in stored
    assert open311_client_lookup(key) == client
    assert open311_client_lookup(key[:-1] + ("A" if key[-1] != "A" else "B")) is None


def test_a_name_is_taken_once():
    run("client", "add", "市民通")
    with pytest.raises(CommandError):
        run("client", "add", "市民通")


def test_rekey_stops_the_old_key_and_disable_stops_any():
    old = run("client", "add", "市民通")
    new = run("client", "rekey", "市民通")
    assert open311_client_lookup(old) is None and open311_client_lookup(new) is not None
    run("client", "disable", "市民通")
    assert open311_client_lookup(new) is None
    assert "disabled" in run("client", "list")


def test_an_unknown_client_is_an_error():
    with pytest.raises(CommandError):
        run("client", "rekey", "nobody")


def test_the_admin_shows_a_new_clients_key_once(personas):
    browser = Client()
    browser.force_login(personas.admin)
    response = browser.post("/admin/grid/open311client/add/", {"name": "合作方", "contact": "", "active": "on"},
                            follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    key = next(found.group(0) for m in shown if (found := re.search(r"o311_[0-9a-f]+_[\w-]+", m)))
    assert open311_client_lookup(key) == Open311Client.objects.get(name="合作方")


def test_the_built_in_questions_seed_once_and_make_valid_definitions(categories):
    from zhenwu.grid.models import Open311Attribute
    from zhenwu.grid.open311.documents import service_definition
    from zhenwu.grid.tests.open311_spec import check_attribute

    run("attributes", "seed")
    seeded = Open311Attribute.objects.count()
    assert seeded > 0  # E0101 and E0106 are among the test categories
    run("attributes", "seed")
    assert Open311Attribute.objects.count() == seeded
    for attribute in service_definition(categories["E0106"])["attributes"]:
        check_attribute(attribute, "json")


def test_the_admin_lists_open311_clients_questions_and_requests(world, personas):
    world.report("json")
    browser = Client()
    browser.force_login(personas.admin)
    for model in ("open311client", "open311attribute", "open311request"):
        assert browser.get(f"/admin/grid/{model}/").status_code == 200
    assert browser.get("/admin/grid/open311request/add/").status_code == 403
