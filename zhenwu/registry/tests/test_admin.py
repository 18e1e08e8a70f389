"""Admin: every registry model listed and searchable; a save keeps area_code and is audited."""

from __future__ import annotations

import pytest

from zhenwu.casework.models import AuditEntry
from zhenwu.registry.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["resident", "household", "enterprise", "place", "camera", "gridassignment"])
def test_changelists_render_with_search(personas, town, model):
    f.resident(town.grid_a)
    response = f.client_for(personas.admin).get(f"/admin/registry/{model}/?q=1")
    assert response.status_code == 200


def test_an_admin_save_sets_area_code_and_audits(personas, town):
    camera = f.camera(town.grid_a)
    data = {"code": camera.code, "name": "新名字", "source_system": "雪亮工程", "stream_url": "",
            "grid": town.grid_b.pk, "lng": "", "lat": ""}
    response = f.client_for(personas.admin).post(f"/admin/registry/camera/{camera.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    camera.refresh_from_db()
    assert camera.area_code == town.grid_b.code
    assert AuditEntry.objects.filter(subject=f"registry.camera:{camera.pk}", action="update").exists()
