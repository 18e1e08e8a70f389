"""走访: a visit with a photo, replayed under one Idempotency-Key, is made once; another body under the same
key is 409; the targets picker and the coverage per grid; the household's history; grid B sees nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zhenwu.casework.models import Attachment
from zhenwu.grid.models import Visit
from zhenwu.grid.tests.dispute_fixtures import _media, client, mediators
from zhenwu.registry.tests import factories
from zhenwu.testing import GRID_A, GRID_B

__all__ = ["_media", "mediators"]
pytestmark = pytest.mark.django_db
BASE = "/api/v1/grid/visits/"


def _jpeg(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, format="JPEG")
    return out.getvalue()


def _visit(c, home, key: str = "", record: str = "入户走访：独居老人身体尚好，门前消防通道畅通。", photos=(), **extra):
    body = {"target_kind": "household", "target_id": home.pk, "record": record, "lng": "119.52", "lat": "31.95",
            "visited_at": "2026-01-10T09:30:00+08:00", **extra}
    if photos:
        body["photos"] = [SimpleUploadedFile(f"p{i}.jpg", data, "image/jpeg") for i, data in enumerate(photos)]
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return c.post(BASE, body, **headers)


def test_a_visit_replayed_five_times_under_one_key_is_made_once(town, mediators):
    home = factories.household(town.grid_a)
    c = client(mediators.grid_worker)
    answers = [_visit(c, home, key="phone-7f3a-0001", photos=[_jpeg()]) for _ in range(5)]
    assert [a.status_code for a in answers] == [201] * 5
    assert len({a.json()["id"] for a in answers}) == 1 and Visit.objects.count() == 1
    body = answers[0].json()
    assert (body["grid_code"], body["target_kind_label"], body["worker"]) == (GRID_A, "住户", "gw_a")
    sha = body["photos"][0]["sha256"]
    assert Attachment.objects.filter(sha256=sha).exists()
    photo = c.get(body["photos"][0]["url"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert client(mediators.grid_worker_b).get(body["photos"][0]["url"]).status_code == 404


def test_another_body_under_a_used_key_is_409(town, mediators):
    home = factories.household(town.grid_a)
    c = client(mediators.grid_worker)
    assert _visit(c, home, key="k-1").status_code == 201
    again = _visit(c, home, key="k-1", record="另一条记录")
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Visit.objects.count() == 1
    assert _visit(c, home, key="bad key with spaces").status_code == 400


@pytest.mark.parametrize(("over", "field"), [
    ({"target_kind": "planet"}, "target_kind"),
    ({"record": " "}, "record"),
    ({"lng": "500"}, "lng"),
    ({"visited_at": "2999-01-01T00:00:00+08:00"}, "visited_at"),
])
def test_bad_input_is_named_and_nothing_is_made(town, mediators, over, field):
    home = factories.household(town.grid_a)
    response = _visit(client(mediators.grid_worker), home, **over)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == field
    assert not Visit.objects.exists()


@pytest.mark.parametrize("data", [b"MZ\x90\x00not an image", b"%PDF-1.4 a document, not a photo"])
def test_a_photo_that_is_not_an_image_is_refused(town, mediators, data):
    home = factories.household(town.grid_a)
    response = _visit(client(mediators.grid_worker), home, photos=[_jpeg(), data])
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "photos"
    assert "2" in response.json()["errors"][0]["message"]  # which photo
    assert not Visit.objects.exists()


def test_grid_b_cannot_visit_or_see_grid_a(town, mediators):
    home = factories.household(town.grid_a)
    refused = _visit(client(mediators.grid_worker_b), home)
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "target_id"
    visit = _visit(client(mediators.grid_worker), home).json()
    assert client(mediators.grid_worker_b).get(f"{BASE}{visit['id']}").status_code == 404
    assert client(mediators.grid_worker_b).get(BASE).json()["count"] == 0
    assert client(mediators.dispatcher).get(BASE, {"household": home.pk}).json()["count"] == 1


def test_targets_picker_lists_my_grid_only(town, mediators):
    factories.household(town.grid_a, address="东山村18号")
    factories.household(town.grid_b, address="西河村3号")
    factories.place(town.grid_a, name="东山便民超市")
    mine = client(mediators.grid_worker).get(f"{BASE}targets").json()
    assert {t["grid_code"] for t in mine} == {GRID_A} and {t["kind"] for t in mine} == {"household", "place"}
    found = client(mediators.grid_worker).get(f"{BASE}targets", {"q": "超市"}).json()
    assert [t["name"] for t in found] == ["东山便民超市"]


def test_monthly_coverage_per_grid(town, mediators):
    homes = [factories.household(town.grid_a) for _ in range(4)]
    factories.household(town.grid_b)
    c = client(mediators.grid_worker)
    _visit(c, homes[0])
    _visit(c, homes[0], visited_at="2026-01-20T10:00:00+08:00")  # twice: one household
    _visit(c, homes[1])
    _visit(c, homes[2], visited_at="2026-02-02T10:00:00+08:00")  # another month
    rows = client(mediators.dispatcher).get(f"{BASE}coverage", {"month": "2026-01"}).json()
    assert [(r["grid_code"], r["households"], r["visited"], r["coverage"]) for r in rows] == [
        (GRID_A, 4, 2, 0.5), (GRID_B, 1, 0, 0.0)]
    assert [r["grid_code"] for r in c.get(f"{BASE}coverage", {"month": "2026-01"}).json()] == [GRID_A]
    assert c.get(f"{BASE}coverage", {"month": "2026-13"}).status_code == 400
    assert c.get(BASE, {"month": "2026-02"}).json()["count"] == 1


def test_the_household_page_links_to_its_visit_history(town, mediators):
    home = factories.household(town.grid_a)
    _visit(client(mediators.grid_worker), home, record="了解到户主需要办理低保。")
    registry_page = client(mediators.grid_worker).get(f"/registry/households/{home.pk}/").content.decode()
    assert f"/grid/households/{home.pk}/visits/" in registry_page
    page = client(mediators.grid_worker).get(f"/grid/households/{home.pk}/visits/")
    assert page.status_code == 200 and "了解到户主需要办理低保。" in page.content.decode()
    assert client(mediators.grid_worker_b).get(f"/grid/households/{home.pk}/visits/").status_code == 404
    assert client(mediators.grid_worker).get(f"/grid/households/{GRID_B}/visits/").status_code == 404


def test_the_coverage_page_charts_each_grid_with_its_table(town, mediators):
    home = factories.household(town.grid_a)
    factories.household(town.grid_a)
    _visit(client(mediators.grid_worker), home)
    page = client(mediators.dispatcher).get("/grid/visits/coverage/", {"month": "2026-01"}).content.decode()
    assert "各网格走访覆盖率" in page and "东山村第一网格" in page and "50.0%" in page
    assert "chart-data-visit-coverage" in page
    bad = client(mediators.dispatcher).get("/grid/visits/coverage/", {"month": "2026-13"})
    assert bad.status_code == 200 and "YYYY-MM" in bad.content.decode()
    assert client(mediators.clerk).get("/grid/visits/coverage/").status_code == 403
