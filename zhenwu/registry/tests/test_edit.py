"""Edit through the page and the API: services validate, the audit keeps masked changes."""

from __future__ import annotations

import pytest

from zhenwu.casework.models import AuditEntry
from zhenwu.registry.models import Resident
from zhenwu.registry.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(town):
    return f.resident(town.grid_a, name="王小明", mobile="13512342210")


def test_an_api_edit_is_audited_with_masked_values(personas, resident):
    response = f.client_for(personas.grid_worker_a).patch(
        f"/api/v1/registry/residents/{resident.pk}", {"mobile": "13900002222", "tags": ["veteran"]},
        content_type="application/json")
    assert response.status_code == 200, response.content
    entry = AuditEntry.objects.get(subject=f"registry.resident:{resident.pk}", action="update")
    assert entry.data is not None
    assert entry.data["fields"]["mobile"] == {"from": "135****2210", "to": "139****2222"}
    assert entry.data["fields"]["tags"]["to"] == ["veteran"] and entry.actor_id == personas.grid_worker_a.pk
    assert "13900002222" not in str(entry.data)


def test_an_api_create_answers_201_and_audits(personas):
    data = {"id_number": f.id_number("19920202", 31), "name": "赵六", "grid": "321181102201001001",
            "status": "permanent"}
    response = f.client_for(personas.grid_worker_a).post("/api/v1/registry/residents", data,
                                                         content_type="application/json")
    assert response.status_code == 201 and response.json()["name"] == "赵*"
    assert AuditEntry.objects.filter(subject=f"registry.resident:{response.json()['id']}", action="create").exists()


def test_an_api_error_names_the_field(personas):
    data = {"id_number": "123", "name": "赵六", "grid": "321181102201001001", "status": "permanent"}
    response = f.client_for(personas.grid_worker_a).post("/api/v1/registry/residents", data,
                                                         content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "id_number"


def test_a_supervisor_may_not_edit(personas, resident):
    response = f.client_for(personas.county_staff).patch(f"/api/v1/registry/residents/{resident.pk}",
                                                         {"name": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_a_page_edit_keeps_personal_fields_left_empty_and_audits(personas, resident):
    client = f.client_for(personas.grid_worker_a)
    form = client.get(f"/registry/residents/{resident.pk}/edit/").content.decode()
    assert "13512342210" not in form and resident.id_number not in form
    response = client.post(f"/registry/residents/{resident.pk}/edit/",
                           {"grid": resident.area_code, "status": "permanent", "origin": ""})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.status, resident.mobile, resident.name) == ("permanent", "13512342210", "王小明")
    entry = AuditEntry.objects.get(subject=f"registry.resident:{resident.pk}", action="update")
    assert entry.data == {"fields": {"status": {"from": "registered", "to": "permanent"}}}


def test_a_page_edit_with_an_error_shows_the_form_again(personas, resident):
    response = f.client_for(personas.grid_worker_a).post(
        f"/registry/residents/{resident.pk}/edit/", {"grid": resident.area_code, "status": "floating"})
    assert response.status_code == 400 and 'data-field="arrival_date"' in response.content.decode()
    assert "has-error" in response.content.decode()


def test_a_page_create_makes_a_household(personas):
    response = f.client_for(personas.grid_worker_a).post(
        "/registry/households/new/", {"number": "H1", "address": "东山村1号", "kind": "rental",
                                      "grid": "321181102201001001"})
    assert response.status_code == 302


def test_the_api_deletes_with_an_audit_entry(personas, resident):
    response = f.client_for(personas.grid_worker_a).delete(f"/api/v1/registry/residents/{resident.pk}")
    assert response.status_code == 204 and not Resident.objects.filter(pk=resident.pk).exists()
    assert AuditEntry.objects.filter(subject=f"registry.resident:{resident.pk}", action="delete").exists()


def test_the_head_of_household_follows_the_relation(personas, town):
    home = f.household(town.grid_a, number="H77")
    client = f.client_for(personas.grid_worker_a)
    data = {"id_number": f.id_number("19910101", 41), "name": "钱七", "grid": town.grid_a.code,
            "status": "registered", "household": "H77", "relation": "户主"}
    created = client.post("/api/v1/registry/residents", data, content_type="application/json").json()
    home.refresh_from_db()
    assert home.head_id == created["id"]
