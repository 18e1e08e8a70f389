"""/api/v1/enforcement/powers: public list with search, filter and paging; detail; import and export."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.enforcement import powers_data
from zhenwu.enforcement.models import PenaltyPower
from zhenwu.enforcement.services.powers import powers_load
from zhenwu.enforcement.tests import factories as f
from zhenwu.testing import make_staff


@pytest.fixture
def listed(db):
    powers_load(powers_data.drafts())


def test_anyone_pages_through_the_list(listed):
    body = Client().get("/api/v1/enforcement/powers?page=2&page_size=20").json()
    assert body["count"] == PenaltyPower.objects.count() and len(body["items"]) == 20
    assert body["items"][0]["basis"].startswith("《")


def test_it_filters_by_department_and_searches(listed):
    body = Client().get("/api/v1/enforcement/powers?department=fire&q=消防车通道").json()
    assert [i["name"] for i in body["items"]] == ["占用、堵塞、封闭消防车通道"]
    assert body["items"][0]["department_label"] == "消防"


def test_an_unknown_department_is_a_400(listed):
    response = Client().get("/api/v1/enforcement/powers?department=mars")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "department"


def test_the_detail_has_the_bands(listed):
    body = Client().get("/api/v1/enforcement/powers/320000-CG-001").json()
    assert [b["level"] for b in body["bands"]] == ["minor", "ordinary", "serious", "grave"]
    assert Client().get("/api/v1/enforcement/powers/NOPE").status_code == 404


def test_the_import_dry_runs_for_keepers_only(town, personas):
    keeper = make_staff("legal", roles=[Role.LEGAL_REVIEWER], scope=town.town)
    upload = {"file": SimpleUploadedFile("p.xlsx", f.sheet([f.row(), f.row("320000-CG-010", law="")]))}
    client = Client()
    client.force_login(personas.town_staff)
    assert client.post("/api/v1/enforcement/powers/import", upload).status_code == 403
    client.force_login(keeper)
    upload["file"].seek(0)
    body = client.post("/api/v1/enforcement/powers/import", upload).json()
    assert body["dry_run"] and [(e["row"], e["field"]) for e in body["errors"]] == [(4, "law")]
    assert not PenaltyPower.objects.exists()


def test_the_export_is_a_workbook(listed):
    response = Client().get("/api/v1/enforcement/powers/export")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_the_public_page_searches_filters_and_pages(listed):
    page = Client().get("/public/enforcement/powers/?department=urban").content.decode()
    assert "擅自占用城市道路摆摊设点" in page and "消防车通道" not in page
    assert "第 2 页" in Client().get("/public/enforcement/powers/?page=2").content.decode()
    assert "没有符合条件的事项" in Client().get("/public/enforcement/powers/?q=不存在的事项").content.decode()
    detail = Client().get("/public/enforcement/powers/320000-CG-001/")
    assert detail.status_code == 200 and "裁量基准" in detail.content.decode()
    assert Client().get("/public/enforcement/powers/NOPE/").status_code == 404
