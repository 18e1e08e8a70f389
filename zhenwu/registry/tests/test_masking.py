"""Masking per role on lists and detail; the audited reveal and its refusal."""

from __future__ import annotations

import pytest

from zhenwu.casework.models import AuditEntry
from zhenwu.registry.tests import factories as f

pytestmark = pytest.mark.django_db
ID = f.id_number("19900315", 11)


@pytest.fixture
def resident(town):
    return f.resident(town.grid_a, id_number=ID, name="王小明", mobile="13512342210")


def _roles(personas, town):
    return {"grid worker": personas.grid_worker_a, "info officer": f.info_officer(town.grid_a),
            "county supervisor": personas.county_staff}


@pytest.mark.parametrize("role", ["grid worker", "info officer", "county supervisor"])
def test_lists_and_detail_are_masked_for_every_role(personas, town, resident, role):
    client = f.client_for(_roles(personas, town)[role])
    item = client.get("/api/v1/registry/residents").json()["items"][0]
    detail = client.get(f"/api/v1/registry/residents/{resident.pk}").json()
    for shown in (item, detail):
        masked = (ID[0] + "*" * 15 + ID[-2:], "135****2210", "王**")
        assert (shown["id_number"], shown["mobile"], shown["name"]) == masked
        assert shown["birth_date"] is None and shown["masked"]


def test_a_grid_worker_reveals_full_values_and_the_view_is_audited(personas, resident):
    client = f.client_for(personas.grid_worker_a)
    shown = client.get(f"/api/v1/registry/residents/{resident.pk}?unmasked=true").json()
    assert (shown["id_number"], shown["mobile"], shown["name"]) == (ID, "13512342210", "王小明")
    entry = AuditEntry.objects.get(subject=f"registry.resident:{resident.pk}", action="view_unmasked")
    assert entry.actor_id == personas.grid_worker_a.pk


@pytest.mark.parametrize("role", ["info officer", "county supervisor"])
def test_it_refuses_the_reveal_to_roles_without_it(personas, town, resident, role):
    response = f.client_for(_roles(personas, town)[role]).get(f"/api/v1/registry/residents/{resident.pk}?unmasked=1")
    assert response.status_code == 403
    assert response.json()["errors"][0]["message_en"] == "Your role may not see full personal data."
    assert not AuditEntry.objects.filter(action="view_unmasked").exists()


def test_the_page_reveal_button_shows_full_values_and_audits(personas, resident):
    client = f.client_for(personas.grid_worker_a)
    page = client.get(f"/registry/residents/{resident.pk}/").content.decode()
    assert ID not in page and "显示完整信息" in page
    revealed = client.post(f"/registry/residents/{resident.pk}/reveal/").content.decode()
    assert ID in revealed and "13512342210" in revealed
    assert AuditEntry.objects.filter(subject=f"registry.resident:{resident.pk}", action="view_unmasked",
                                     actor=personas.grid_worker_a).count() == 1


def test_the_page_reveal_is_refused_with_403_for_a_supervisor(personas, resident):
    response = f.client_for(personas.county_staff).post(f"/registry/residents/{resident.pk}/reveal/")
    assert response.status_code == 403 and ID not in response.content.decode()


def test_an_enterprise_lists_its_legal_representative_masked(personas, town):
    f.enterprise(town.grid_a, legal_representative="赵大海", mobile="13900001111")
    item = f.client_for(personas.town_staff).get("/api/v1/registry/enterprises").json()["items"][0]
    assert (item["legal_representative"], item["mobile"]) == ("赵**", "139****1111")
