"""The admin: a category edit makes a new version through the service (incidents keep theirs); bad terms
are refused on the form; incidents are read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.grid.models import Category
from zhenwu.grid.tests.factories import report
from zhenwu.testing import Personas, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(town, settings) -> Client:
    settings.ADMIN_TWO_FACTOR = False
    client = Client()
    client.force_login(make_staff("root", roles=[Role.ADMIN], scope=town.county, is_staff=True, is_superuser=True))
    return client


def terms(**extra: str) -> dict[str, str]:
    data = {"active": "on", "sort": "0", "version_name": "暴露垃圾", "department_name": "镇环卫所",
            "limit_unit": "hours", "limit_value": "12", "self_close": "on", "priority": "urgent"}
    data.update(extra)
    return data


def test_an_edit_of_the_limit_makes_a_new_version(admin_client: Client, categories, personas: Personas) -> None:
    incident = report(personas.grid_worker_a)
    cat = Category.objects.get(code="E0101")
    assert admin_client.get("/admin/grid/category/").status_code == 200
    assert admin_client.get(f"/admin/grid/category/{cat.pk}/change/").status_code == 200
    response = admin_client.post(f"/admin/grid/category/{cat.pk}/change/", terms())
    assert response.status_code == 302, response.content[:2000]
    cat.refresh_from_db()
    assert cat.current_version is not None and cat.current_version.number == 2
    assert (cat.current_version.limit_value, cat.current_version.priority) == (12, "urgent")
    incident.refresh_from_db()
    assert incident.category_version.number == 1 and incident.category_version.limit_value == 24
    admin_client.post(f"/admin/grid/category/{cat.pk}/change/", terms())  # nothing changed: no new version
    assert cat.versions.count() == 2


def test_bad_terms_are_refused_on_the_form(admin_client: Client, categories) -> None:
    cat = Category.objects.get(code="E0101")
    response = admin_client.post(f"/admin/grid/category/{cat.pk}/change/", terms(limit_value="9999"))
    assert response.status_code == 200  # the form again, with the error
    assert cat.versions.count() == 1


def test_incidents_are_read_only(admin_client: Client, categories, personas: Personas) -> None:
    incident = report(personas.grid_worker_a)
    assert admin_client.get("/admin/grid/incident/").status_code == 200
    page = admin_client.get(f"/admin/grid/incident/{incident.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
