import json

import pytest
from django.urls import reverse

from zhenwu.testing import GRID_A, TOWN


@pytest.mark.django_db
def test_the_map_opens_on_the_users_scope(client, personas):
    client.force_login(personas.grid_worker_a)
    response = client.get(reverse("areas:map"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="area-card"' in html and "vendor/leaflet/leaflet.js" in html
    config = json.loads(html.split('id="area-map-config" type="application/json">')[1].split("</script>")[0])
    assert config["under"] == TOWN
    assert config["bbox"] == personas.grid_worker_a.scope_area.bbox
    assert personas.grid_worker_a.scope_area.code == GRID_A


@pytest.mark.django_db
def test_the_map_needs_a_login(client, town):
    response = client.get(reverse("areas:map"))
    assert response.status_code == 302 and "/login/" in response["Location"]
