"""Checks across rows: grids exist and are in scope, no duplicates in the file or the database, references."""

from __future__ import annotations

import pytest

from zhenwu.errors import Forbidden
from zhenwu.registry.importing import import_check_file, import_job_commit, import_job_create
from zhenwu.registry.models import Household, Resident
from zhenwu.registry.tests.import_files import (  # noqa: F401 (media is a fixture)
    RESIDENT_HEADERS,
    id_number,
    media,
    resident_row,
    xlsx_bytes,
)
from zhenwu.testing import GRID_A, GRID_B, VILLAGE_A

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _check(user, rows):
    return import_check_file(actor=user, kind="residents", data=xlsx_bytes(RESIDENT_HEADERS, rows))


def _reasons(checked) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.as_dict()["message_en"]) for e in checked.errors]


def test_it_names_both_rows_of_a_duplicate_inside_the_file(personas) -> None:
    checked = _check(personas.town_staff, [resident_row(1, GRID_A), resident_row(2, GRID_A),
                                           resident_row(1, GRID_B, 姓名="重复")])
    assert _reasons(checked) == [(2, "身份证号", "The same value appears in rows 2、4 of the file."),
                                 (4, "身份证号", "The same value appears in rows 2、4 of the file.")]
    assert list(checked.valid) == [3]


def test_it_rejects_a_resident_already_in_the_database(personas) -> None:
    Resident.objects.create(id_number=id_number(7), name="老住户", birth_date="1995-01-01", sex="M",
                            status="registered", grid=personas.grid_worker_a.scope_area, area_code=GRID_A)
    checked = _check(personas.town_staff, [resident_row(7, GRID_A), resident_row(8, GRID_A)])
    assert _reasons(checked) == [(2, "身份证号", "A resident with this ID number already exists.")]


def test_it_rejects_an_unknown_grid_code(personas) -> None:
    checked = _check(personas.town_staff, [resident_row(1, "321181102299001001")])
    assert _reasons(checked) == [(2, "所属网格", "No grid has the code 321181102299001001.")]


def test_it_rejects_a_code_that_is_not_a_grid(personas) -> None:
    checked = _check(personas.town_staff, [resident_row(1, VILLAGE_A + "000")])
    assert checked.errors and checked.errors[0].column == "所属网格"


def test_it_rejects_a_grid_outside_the_users_scope(personas) -> None:
    checked = _check(personas.grid_worker_a, [resident_row(1, GRID_A), resident_row(2, GRID_B)])
    assert _reasons(checked) == [(3, "所属网格", f"The grid {GRID_B} is outside your scope.")]
    assert list(checked.valid) == [2]


def test_it_refuses_a_role_that_may_not_edit_the_registry(personas) -> None:
    with pytest.raises(Forbidden):
        _check(personas.county_staff, [resident_row(1, GRID_A)])
    with pytest.raises(Forbidden):
        _check(personas.citizen, [resident_row(1, GRID_A)])


def test_it_links_members_to_an_existing_household_and_sets_the_head(personas) -> None:
    household = Household.objects.create(number="H0001", address="东山村1组8号", kind="registered",
                                         grid=personas.grid_worker_a.scope_area, area_code=GRID_A)
    rows = [resident_row(1, GRID_A, 户编号="H0001", 与户主关系="户主"),
            resident_row(2, GRID_A, 户编号="H0001", 与户主关系="配偶"),
            resident_row(3, GRID_A, 户编号="H9999", 与户主关系="子女")]
    data = xlsx_bytes(RESIDENT_HEADERS, rows)
    job = import_job_create(actor=personas.town_staff, kind="residents", data=data)
    assert [(e["row"], e["column"]) for e in job.report["errors"]] == [(4, "户编号")]
    import_job_commit(actor=personas.town_staff, job=job, choice="valid_only")
    household.refresh_from_db()
    assert household.head is not None and household.head.id_number == id_number(1)
    assert household.members.count() == 2


def test_it_imports_enterprises_with_chinese_terms(personas) -> None:
    from zhenwu.registry.models import Enterprise
    from zhenwu.testing import VALID_USCC

    headers = ["统一社会信用代码", "企业名称", "法定代表人", "地址", "所属网格", "经营状态", "风险等级", "经营异常",
               "投诉次数"]
    data = xlsx_bytes(headers, [[VALID_USCC, "东山机械", "王强", "东山村3号", GRID_A, "停业", "高", "是", 3]])
    job = import_job_create(actor=personas.town_staff, kind="enterprises", data=data)
    assert job.report["errors"] == []
    import_job_commit(actor=personas.town_staff, job=job, choice="all_or_nothing")
    e = Enterprise.objects.get()
    assert (e.operating_status, e.risk_level, e.abnormal_listed, e.complaint_count) == ("suspended", "high", True, 3)
