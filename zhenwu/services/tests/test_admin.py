"""The admin: an item edit makes a new version through the service; applications are read-only."""

import pytest
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.services.tests.factories import window_app
from zhenwu.testing import make_staff

pytestmark = pytest.mark.django_db


def test_an_admin_edit_of_the_chain_makes_a_new_version(town, hall, item, settings):
    settings.ADMIN_TWO_FACTOR = False
    c = Client()
    c.force_login(make_staff("root", roles=[Role.ADMIN], scope=town.county, is_staff=True, is_superuser=True))
    app = window_app(hall)
    assert c.get("/admin/services/serviceitem/").status_code == 200
    assert c.get(f"/admin/services/application/{app.pk}/change/").status_code == 200
    r = c.post(f"/admin/services/serviceitem/{item.pk}/change/",
               {"active": "on", "chain": ["approval"], "promised_limit_days": "5", "fees": "不收费"})
    assert r.status_code == 302, r.content[:2000]
    item.refresh_from_db()
    assert item.current_version.number == 2 and item.current_version.chain == ["approval"]
    assert app.item_version.number == 1


def test_the_openapi_document_lists_the_service_endpoints(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/services/applications/{number}/accept" in paths and "/api/v1/services/track" in paths
