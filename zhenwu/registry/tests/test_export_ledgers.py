"""Ledger exports: the list filters and scope, masked by default, unmasked only for administrators (audited)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client

from zhenwu.casework.models import AuditEntry
from zhenwu.registry.models import Resident, ResidentTag
from zhenwu.registry.tests.import_files import id_number
from zhenwu.testing import GRID_A, GRID_B

pytestmark = pytest.mark.django_db


@pytest.fixture
def residents(town) -> None:
    for serial, grid, status in ((1, town.grid_a, "registered"), (2, town.grid_a, "floating"),
                                 (3, town.grid_b, "registered")):
        r = Resident.objects.create(id_number=id_number(serial), name=f"王小{serial}", birth_date="1995-01-01",
                                    sex="M", mobile=f"1351234000{serial}", status=status, grid=grid,
                                    area_code=grid.code, arrival_date="2024-05-01" if status == "floating" else None,
                                    origin="安徽省阜阳市" if status == "floating" else "")
        ResidentTag.objects.create(resident=r, tag="party")


def _sheet(response) -> list[list[object]]:
    assert response.status_code == 200, response.content
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.usefixtures("residents")
def test_an_export_is_masked_and_keeps_the_filters_and_scope(personas) -> None:
    rows = _sheet(_client(personas.town_staff).get("/registry/export/residents/?status=registered"))
    header, data = rows[0], rows[1:]
    assert header[:4] == ["姓名", "身份证号", "手机号", "所属网格"]
    assert sorted(str(r[3]) for r in data) == [GRID_A, GRID_B]
    assert all(str(r[0]).endswith("*") and "*" in str(r[1]) and "****" in str(r[2]) for r in data)
    assert {r[7] for r in data} == {"党员"} and {r[6] for r in data} == {"户籍"}
    scoped = _sheet(_client(personas.grid_worker_a).get("/registry/export/residents/"))
    assert [r[3] for r in scoped[1:]] == [GRID_A, GRID_A]


@pytest.mark.usefixtures("residents")
def test_an_admin_gets_full_values_only_when_asking_and_it_is_audited(personas) -> None:
    client = _client(personas.admin)
    masked = _sheet(client.get("/api/v1/registry/io/export/residents?grid=" + GRID_B))
    assert masked[1][1] != id_number(3) and not AuditEntry.objects.filter(action="export_unmasked").exists()
    full = _sheet(client.get("/api/v1/registry/io/export/residents?unmasked=true&grid=" + GRID_B))
    assert full[1][:3] == ["王小3", id_number(3), "13512340003"]
    entry = AuditEntry.objects.get(action="export_unmasked")
    assert entry.subject == "registry.export:residents" and entry.actor == personas.admin
    assert entry.data == {"filters": {"grid": GRID_B}, "rows": 1}


@pytest.mark.usefixtures("residents")
def test_a_clerk_asking_for_unmasked_is_refused(personas) -> None:
    client = _client(personas.town_staff)
    assert client.get("/api/v1/registry/io/export/residents?unmasked=true").status_code == 403
    assert client.get("/registry/export/residents/?unmasked=1").status_code == 403
    assert not AuditEntry.objects.filter(action="export_unmasked").exists()


@pytest.mark.usefixtures("residents")
def test_a_bad_filter_answers_400_not_500(personas) -> None:
    response = _client(personas.town_staff).get("/api/v1/registry/io/export/residents?status=nobody")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "status"


def test_an_unmasked_export_can_be_imported_again(personas, residents, settings, tmp_path) -> None:
    from zhenwu.registry.importing import import_check_file

    settings.MEDIA_ROOT = tmp_path
    content = _client(personas.admin).get("/registry/export/residents/?unmasked=1").content
    Resident.objects.all().delete()
    checked = import_check_file(actor=personas.admin, kind="residents", data=content)
    assert checked.errors == [] and len(checked.valid) == 3
