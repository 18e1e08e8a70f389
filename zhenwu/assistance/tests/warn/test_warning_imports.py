"""Imports of settlements and life events: every bad row reported by its row number, nothing half-written;
a good import raises the warnings; a settlement sent twice counts once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.assistance.models import EarlyWarning, LifeEvent, Settlement, SettlementImport
from zhenwu.assistance.services.imports import events_import, import_file, settlements_import
from zhenwu.assistance.tests.warn.factories import person
from zhenwu.errors import Forbidden
from zhenwu.registry.tests import factories
from zhenwu.registry.tests.import_files import xlsx_bytes

pytestmark = pytest.mark.django_db
HEADERS = ["结算单号", "身份证号", "姓名", "结算日期", "医疗费用总额", "个人自付"]


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_sheet_with_bad_rows_names_each_by_its_excel_row_and_writes_nothing(clock, town, civil):
    someone = person(town.grid_a, name="张三")
    outsider = factories.id_number("19800101")  # valid, but nobody in the registry
    rows = [["JS1", someone.id_number, "张三", "2025-09-01", 12000, 6000],        # row 2: good
            ["JS2", outsider, "", "2025-09-01", 100, 50],                         # row 3: unknown person
            ["JS3", someone.id_number, "", "2025-09-01", 100, -5],                # row 4: negative
            ["JS4", someone.id_number, "李四", "2025-09-01", 100, 50],             # row 5: name differs
            ["JS5", someone.id_number, "", "2025-10-09", 100, 50],                # row 6: in the future
            ["JS1", someone.id_number, "", "2025-09-02", 100, 500],               # row 7: twice, and > total
            ["JS6", "110105194912310021", "", "2025-09-01", 100, 50]]             # row 8: bad check digit
    report = import_file(actor=civil, kind="settlements", data=xlsx_bytes(HEADERS, rows), dry_run=False)
    found = {(e["row"], e["field"]) for e in report.errors}
    assert found == {(3, "id_number"), (4, "out_of_pocket"), (5, "name"), (6, "date"), (7, "out_of_pocket"),
                     (8, "id_number")}
    assert all(e["message"] and e["message_en"] and e["column"] for e in report.errors)
    assert not Settlement.objects.exists() and not SettlementImport.objects.exists()


def test_a_good_sheet_imports_and_raises_the_warning_once(clock, town, civil, worker_a):
    someone = person(town.grid_a)
    rows = [["JS1", someone.id_number, "", "2025-09-01", 12000, 3000],
            ["JS2", someone.id_number, "", "2025-09-20", 8000, 2500]]
    data = xlsx_bytes(HEADERS, rows)
    dry = import_file(actor=civil, kind="settlements", data=data, dry_run=True)
    assert (dry.errors, dry.imported, Settlement.objects.count()) == ([], 2, 0)
    report = import_file(actor=civil, kind="settlements", data=data, dry_run=False)
    assert (report.imported, report.warnings_raised) == (2, 1)
    warning = EarlyWarning.objects.get()
    assert warning.case.handler == worker_a
    again = import_file(actor=civil, kind="settlements", data=data, dry_run=False)
    assert (again.imported, again.duplicates, again.warnings_raised) == (0, 2, 0)
    assert Settlement.objects.count() == 2


def test_a_csv_without_the_required_columns_is_refused_naming_them(town, civil):
    from zhenwu.errors import FieldError

    with pytest.raises(FieldError) as exc:
        import_file(actor=civil, kind="settlements", data="身份证号,姓名\n1,2\n".encode(), dry_run=True)
    assert exc.value.field == "file" and "结算单号" in exc.value.text()


def test_life_events_raise_a_warning_each(clock, town, civil, worker_a):
    someone = person(town.grid_a, status=None)
    rows = [(1, {"id_number": someone.id_number, "kind": "死亡", "date": "2025-09-10"}),
            (2, {"id_number": someone.id_number, "kind": "income_loss", "date": "2025-09-11", "note": "失业"})]
    report = events_import(actor=civil, rows=rows, dry_run=False)
    assert (report.errors, report.imported, report.warnings_raised) == ([], 2, 2)
    assert sorted(EarlyWarning.objects.values_list("reason", "status_at")) == [("death", "none"),
                                                                               ("income_loss", "none")]
    bad = events_import(actor=civil, rows=[(1, {"id_number": someone.id_number, "kind": "中彩票",
                                                "date": "2025-09-10"})], dry_run=False)
    assert [(e["row"], e["field"]) for e in bad.errors] == [(1, "kind")]
    assert LifeEvent.objects.count() == 2


def test_only_civil_affairs_import(town, personas):
    with pytest.raises(Forbidden):
        settlements_import(actor=personas.town_staff, rows=[], dry_run=True)


def test_the_json_api_answers_400_with_every_bad_row(clock, town, civil):
    someone = person(town.grid_a)
    body = {"rows": [{"number": "A1", "id_number": someone.id_number, "date": "2025-09-01", "total": "100",
                      "out_of_pocket": "50"},
                     {"number": "A2", "id_number": someone.id_number, "date": "2025-09-01", "total": "100",
                      "out_of_pocket": "-1"},
                     {"number": "A3", "id_number": "123", "date": "not a date", "total": "x"}]}
    response = _client(civil).post("/api/v1/assistance/imports/settlements", body, content_type="application/json")
    assert response.status_code == 400
    errors = {(e["row"], e["field"]) for e in response.json()["errors"]}
    assert errors == {(2, "out_of_pocket"), (3, "id_number"), (3, "date"), (3, "total"), (3, "out_of_pocket")}
    assert not Settlement.objects.exists()
    body["rows"] = body["rows"][:1]
    ok = _client(civil).post("/api/v1/assistance/imports/settlements", body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["imported"] == 1


def test_the_file_endpoint_reports_rows(clock, town, civil):
    someone = person(town.grid_a)
    upload = SimpleUploadedFile("s.xlsx", xlsx_bytes(HEADERS, [["J1", someone.id_number, "", "2025-09-01", 10, 20]]))
    response = _client(civil).post("/api/v1/assistance/imports/file", {"kind": "settlements", "file": upload})
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(2, "个人自付")]
