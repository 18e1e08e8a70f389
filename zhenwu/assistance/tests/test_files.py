"""一户一档 sections and their bad input: each refused with the field named and nothing half-written; the needs
database and its ledger; the imported income data (all rows or none)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from zhenwu.assistance.models import AssistanceFile, Expenditure, ImportedIncome, Income, Resource
from zhenwu.assistance.services.files import file_for_household
from zhenwu.assistance.tests.conftest import make_family
from zhenwu.registry.tests.factories import client_for
from zhenwu.testing import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(family):
    return file_for_household(household=family.home, actor=None)


def post(user, url, body):
    path = f"/api/v1/assistance/files/{url}" if url else "/api/v1/assistance/files"
    return client_for(user).post(path, body, content_type="application/json")


def field_of(response):
    return [e["field"] for e in response.json()["errors"]]


def test_a_file_holds_every_member_of_the_household(people, family, file):
    assert sorted(file.members.values_list("resident_id", flat=True)) == sorted(
        [family.head.pk, family.spouse.pk, family.child.pk])
    again = post(people.civil, "", {"household_id": family.home.pk})
    assert again.status_code == 400 and field_of(again) == ["household"]


def test_civil_affairs_opens_a_file_and_the_village_worker_may_not(people, town):
    other = make_family(town.grid_a, name="孙五")
    assert post(people.worker_a, "", {"household_id": other.home.pk}).status_code == 403
    assert post(people.worker_b, "", {"household_id": other.home.pk}).status_code == 404
    opened = post(people.civil, "", {"household_id": other.home.pk})
    assert opened.status_code == 201 and len(opened.json()["members"]) == 3


@pytest.mark.parametrize(("body", "field"), [
    ({"source": "wages", "monthly_amount": "-5"}, "monthly_amount"),
    ({"source": "wages", "monthly_amount": "abc"}, "monthly_amount"),
    ({"source": "lottery", "monthly_amount": "5"}, "source"),
])
def test_a_bad_income_is_refused(people, file, body, field):
    response = post(people.worker_a, f"{file.pk}/incomes", body)
    assert response.status_code == 400 and field_of(response) == [field]
    assert not Income.objects.exists()


def test_an_income_of_someone_outside_the_household_is_refused(people, file, town):
    stranger = make_family(town.grid_a, name="外人").head
    response = post(people.civil, f"{file.pk}/incomes", {"source": "wages", "monthly_amount": "5",
                                                          "member_id": stranger.pk})
    assert response.status_code == 400 and field_of(response) == ["member"]


def test_a_disability_grade_beyond_4_is_refused(people, file, family):
    response = post(people.civil, f"{file.pk}/members/{family.head.pk}", {"disability_grade": 5})
    assert response.status_code == 400 and field_of(response) == ["disability_grade"]


def test_an_expenditure_without_evidence_is_refused_and_with_it_is_kept(people, file, family, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"/api/v1/assistance/files/{file.pk}/expenditures"
    client = client_for(people.worker_a)
    bare = client.post(url, {"kind": "medical", "year": "2025", "yearly_amount": "36000"})
    assert bare.status_code == 400 and field_of(bare) == ["evidence"] and not Expenditure.objects.exists()
    kept = client.post(url, {"kind": "medical", "year": "2025", "yearly_amount": "36000",
                             "member_id": str(family.head.pk), "evidence": SimpleUploadedFile("bill.png", PNG)})
    assert kept.status_code == 201, kept.json()
    sha = kept.json()["evidence"]
    assert client.get(f"{url[:-len('expenditures')]}evidence/{sha}").status_code == 200
    assert client_for(people.worker_b).get(f"{url[:-len('expenditures')]}evidence/{sha}").status_code == 404
    zero = client.post(url, {"kind": "medical", "year": "2025", "yearly_amount": "0",
                             "evidence": SimpleUploadedFile("bill.png", PNG)})
    assert zero.status_code == 400 and field_of(zero) == ["yearly_amount"]


def test_the_needs_database_filters_and_exports_only_what_the_reader_sees(people, file, town):
    other = file_for_household(household=make_family(town.grid_b, name="钱六").home, actor=None)
    for f, kind in ((file, "medical"), (file, "schooling"), (other, "medical")):
        assert post(people.civil, f"{f.pk}/needs", {"kind": kind, "description": "需要帮扶"}).status_code == 201
    help_ = Resource.objects.create(kind="charity", name="慈善总会大病救助", need_kinds=["medical"],
                                    area_code=town.town.code)
    need = file.needs.get(kind="medical")
    matched = client_for(people.worker_a).post(f"/api/v1/assistance/needs/{need.pk}/matches",
                                               {"resource_id": help_.pk}, content_type="application/json")
    assert matched.status_code == 201 and matched.json()["status"] == "matched"
    wrong = client_for(people.worker_a).post(f"/api/v1/assistance/needs/{file.needs.get(kind='schooling').pk}/matches",
                                             {"resource_id": help_.pk}, content_type="application/json")
    assert wrong.status_code == 400 and field_of(wrong) == ["resource"]

    def kinds(user, query=""):
        body = client_for(user).get(f"/api/v1/assistance/needs?{query}").json()
        return sorted((n["household_number"], n["kind"]) for n in body["items"])

    a, b = file.household.number, other.household.number
    assert kinds(people.civil) == sorted([(a, "medical"), (a, "schooling"), (b, "medical")])
    assert kinds(people.civil, "kind=medical&matched=no") == [(b, "medical")]
    assert kinds(people.civil, f"village={town.village_b.code}") == [(b, "medical")]
    assert kinds(people.worker_a) == [(a, "medical"), (a, "schooling")]
    assert kinds(people.clerk) == []
    bad = client_for(people.civil).get("/api/v1/assistance/needs?village=12")
    assert bad.status_code == 400 and field_of(bad) == ["village"]
    sheet = client_for(people.worker_a).get("/assistance/needs/export.xlsx?kind=medical")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[1:] == [("东山村", a, "张建国", "医疗", "需要帮扶", "已对接资源", rows[1][6], "慈善总会大病救助")]


def test_income_data_with_an_unknown_id_or_a_negative_amount_writes_nothing(people, family):
    from zhenwu.registry.tests.factories import id_number

    rows = [{"id_number": family.head.id_number, "source": "pension", "monthly_amount": "300", "year": 2025},
            {"id_number": id_number("19800101"), "source": "wages", "monthly_amount": "100", "year": 2025},
            {"id_number": family.spouse.id_number, "source": "wages", "monthly_amount": "-1", "year": 2025}]
    response = client_for(people.civil).post("/api/v1/assistance/income-data", {"provider": "人社局", "rows": rows},
                                             content_type="application/json")
    assert response.status_code == 400
    assert field_of(response) == ["rows.1.id_number", "rows.2.monthly_amount"]
    assert not ImportedIncome.objects.exists()
    assert client_for(people.worker_a).post("/api/v1/assistance/income-data", {"provider": "人社局", "rows": rows[:1]},
                                            content_type="application/json").status_code == 403
    ok = client_for(people.civil).post("/api/v1/assistance/income-data", {"provider": "人社局", "rows": rows[:1]},
                                       content_type="application/json")
    assert ok.json() == {"rows": 1, "written": 1}


def test_a_status_change_keeps_its_history(people, file):
    response = post(people.civil, f"{file.pk}/status", {"status": "edge", "reason": "低保边缘认定"})
    assert response.status_code == 200 and response.json()["history"][0]["new"] == "edge"
    assert post(people.worker_a, f"{file.pk}/status", {"status": "none", "reason": "x"}).status_code == 403
    assert AssistanceFile.objects.get(pk=file.pk).status == "edge"
