import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenwu.areas.models import Area
from zhenwu.areas.tests.helpers import new_village_features
from zhenwu.testing import GRID1_A, square

ADD = "/admin/areas/area/add/"


def form(**overrides):
    data = {"code": "321181102201001002", "name": "东山村第二网格", "level": "grid2", "special_kind": "",
            "parent": "", "geometry": json.dumps(square(119.50, 31.90, 119.51, 31.91))}
    return {**data, **overrides}


@pytest.mark.django_db
def test_admin_creates_a_grid_through_the_service(client, personas, town):
    client.force_login(personas.admin)
    parent = Area.objects.get(code=GRID1_A)
    response = client.post(ADD, form(parent=parent.pk))
    assert response.status_code == 302
    assert (Area.objects.get(code="321181102201001002").area_m2 or 0) > 0


@pytest.mark.django_db
def test_admin_shows_the_form_again_for_a_geometry_outside_the_parent(client, personas, town):
    client.force_login(personas.admin)
    parent = Area.objects.get(code=GRID1_A)
    response = client.post(ADD, form(parent=parent.pk, geometry=json.dumps(square(120, 31, 120.1, 31.1))))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Area.objects.filter(code="321181102201001002").exists()


@pytest.mark.django_db
def test_admin_import_page_reports_errors_and_imports_good_files(client, personas, town):
    client.force_login(personas.admin)
    url = "/admin/areas/area/import/"
    bad = SimpleUploadedFile("a.geojson", b'{"type": "FeatureCollection", "features": []}')
    assert "features" in client.post(url, {"file": bad}).content.decode()
    good = SimpleUploadedFile("b.geojson", json.dumps(new_village_features()).encode())
    assert client.post(url, {"file": good}).status_code == 302
    assert Area.objects.filter(code="321181102203001001").exists()
    assert client.get("/admin/areas/area/export/").json()["type"] == "FeatureCollection"
