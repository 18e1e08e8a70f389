"""Ledgers as offices send them (issue 7 §6): title rows, merged cells, full-width digits, number cells,
grids and households by name, .xls and .ods. Each is accepted, or refused with the exact reason."""

from __future__ import annotations

import pytest

from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.models import Area
from zhenwu.registry import importing
from zhenwu.registry.importing import import_check_file, import_job_create
from zhenwu.registry.models import Household, ImportStatus, Resident
from zhenwu.registry.tests import factories as f
from zhenwu.registry.tests.import_files import (  # noqa: F401 (media is a fixture)
    RESIDENT_HEADERS,
    id_number,
    media,
    ods_bytes,
    office_xlsx,
    resident_row,
    xls_bytes,
    xlsx_bytes,
)
from zhenwu.testing import GRID1_B, GRID_A, GRID_B

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
EXACT = 110105198001010016  # a valid ID number that a double holds exactly


def _check(user, data: bytes, kind: str = "residents"):
    return import_check_file(actor=user, kind=kind, data=data)


def _reasons(checked) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.as_dict()["message_en"]) for e in checked.errors]


def test_it_finds_the_header_below_a_merged_title_row(personas) -> None:
    data = office_xlsx(RESIDENT_HEADERS, [resident_row(1, GRID_A), resident_row(2, GRID_A)])
    checked = _check(personas.town_staff, data)
    assert checked.errors == [] and list(checked.valid) == [4, 5] and checked.header_row == 3


def test_a_title_row_does_not_hide_a_missing_column(personas) -> None:
    headers = [h for h in RESIDENT_HEADERS if h != "居住状态"]
    with pytest.raises(importing.FieldError) as info:
        _check(personas.town_staff, office_xlsx(headers, [resident_row(1, GRID_A)[:-1]]))
    assert info.value.text("en").endswith("Missing columns: 居住状态.")


def test_a_household_number_merged_down_its_members_belongs_to_each(personas, town) -> None:
    household = f.household(town.grid_a, number="H0100")
    rows = [resident_row(1, GRID_A, 户编号="H0100", 与户主关系="户主"),
            resident_row(2, GRID_A, 户编号="", 与户主关系="配偶")]
    checked = _check(personas.town_staff, office_xlsx(RESIDENT_HEADERS, rows, merge_down=[(5, 1, 2)]))
    assert checked.errors == [] and {v["household_id"] for v in checked.valid.values()} == {household.pk}


def test_it_reads_full_width_digits_in_every_field(personas) -> None:
    row = resident_row(1, GRID_A.translate(FULL_WIDTH))
    row[1], row[2] = id_number(1).translate(FULL_WIDTH), "１３５００００００１１"
    checked = _check(personas.town_staff, xlsx_bytes(RESIDENT_HEADERS, [row]))
    assert checked.errors == []
    values = checked.valid[2]
    assert (values["id_number"], values["mobile"], values["grid"]) == (id_number(1), "13500000011", GRID_A)


def test_an_exact_id_number_in_a_number_cell_is_accepted(personas) -> None:
    checked = _check(personas.town_staff, xls_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A, 身份证号=EXACT)]))
    assert checked.errors == [] and checked.valid[2]["id_number"] == str(EXACT)


def test_an_id_number_rounded_by_a_number_cell_is_explained(personas) -> None:
    # openpyxl, like Excel, writes a number with 15 significant digits: 110105198001010000
    checked = _check(personas.town_staff, xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A, 身份证号=EXACT)]))
    [(row, column, message)] = _reasons(checked)
    assert (row, column) == (2, "身份证号")
    assert "stored as a number" in message and "15 significant digits" in message and "110105198001010000" in message
    assert "Format the column as text" in message
    zh = checked.errors[0].as_dict()["message"]
    assert "数字格式" in zh and "文本" in zh


def test_a_csv_of_a_number_column_is_explained_too(personas) -> None:
    from zhenwu.registry.tests.import_files import csv_bytes

    data = csv_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A, 身份证号="1.10105E+17")])
    checked = _check(personas.town_staff, data)
    assert "stored as a number" in _reasons(checked)[0][2]


def test_a_grid_may_be_given_by_its_unique_name(personas) -> None:
    checked = _check(personas.town_staff, xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, "东山村第一网格")]))
    assert checked.errors == [] and checked.valid[2]["grid"] == GRID_A


def test_an_ambiguous_grid_name_names_the_candidates(personas, town) -> None:
    Area.objects.create(code=GRID1_B + "002", name="东山村第一网格", level=AreaLevel.GRID2, parent=town.grid_b.parent)
    checked = _check(personas.town_staff, xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, "东山村第一网格")]))
    assert _reasons(checked) == [(2, "所属网格", f"Several grids in your scope are named 东山村第一网格 "
                                              f"({GRID_A}、{GRID1_B}002); write the grid code.")]


def test_a_grid_name_outside_the_scope_is_not_found(personas) -> None:
    checked = _check(personas.grid_worker_a, xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, "西河村第一网格")]))
    assert _reasons(checked) == [(2, "所属网格", "No grid named 西河村第一网格 in your scope.")]


def test_a_household_may_be_given_by_its_unique_address(personas, town) -> None:
    household = f.household(town.grid_a, address="东山村1组8号")
    f.household(town.grid_b, address="西河村2组1号")
    f.household(town.grid_b, address="西河村2组1号")
    rows = [resident_row(1, GRID_A, 户编号="东山村1组8号", 与户主关系="户主"),
            resident_row(2, GRID_B, 户编号="西河村2组1号")]
    checked = _check(personas.town_staff, xlsx_bytes(RESIDENT_HEADERS, rows))
    assert checked.valid[2]["household_id"] == household.pk and checked.valid[2]["household"] == household.number
    [(row, column, message)] = _reasons(checked)
    assert (row, column) == (3, "户编号") and message.startswith("Several households in your scope are at 西河村2组1号")


def test_a_place_may_name_its_enterprise(personas, town) -> None:
    enterprise = f.enterprise(town.grid_a, name="东山机械有限公司")
    headers = ["场所名称", "场所类型", "地址", "所属网格", "所属企业"]
    data = xlsx_bytes(headers, [["东山机械厂房", "工厂", "东山村工业园3号", "东山村第一网格", "东山机械有限公司"],
                                ["无名仓库", "其他", "东山村4号", GRID_A, "不存在公司"]])
    checked = _check(personas.town_staff, data, kind="places")
    assert checked.valid[2]["enterprise_id"] == enterprise.pk
    assert _reasons(checked) == [(3, "所属企业统一社会信用代码",
                                  "No enterprise with the code or name 不存在公司 in your scope.")]


@pytest.mark.parametrize("build", [xls_bytes, ods_bytes], ids=["xls", "ods"])
def test_old_and_open_formats_are_imported(personas, build) -> None:
    rows = [resident_row(1, GRID_A), resident_row(2, "东山村第一网格", 身份证号=EXACT)]
    job = import_job_create(actor=personas.town_staff, kind="residents", data=build(RESIDENT_HEADERS, rows))
    assert (job.status, job.valid_rows, job.rejected_rows) == (ImportStatus.VALIDATED, 2, 0), job.report
    assert job.file_name.endswith("." + build.__name__.split("_")[0])


def test_an_xls_ledger_with_a_title_row_keeps_excels_row_numbers(personas) -> None:
    data = xls_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A), resident_row(2, GRID_A, 居住状态="暂住")],
                     title="徐霞客镇居民信息台账（2026年11月）")
    checked = _check(personas.town_staff, data)
    assert _reasons(checked) == [(4, "居住状态", "Choose one of the allowed values.")]  # title 1, header 2


def test_a_web_page_saved_as_xls_is_explained(personas) -> None:
    with pytest.raises(importing.FieldError) as info:
        _check(personas.town_staff, "<html><body><table><tr><td>姓名</td></tr></table></body></html>".encode())
    assert "web page" in info.value.text("en")


def test_the_dry_run_parses_the_upload_once(personas, monkeypatch) -> None:
    calls: list[int] = []
    real = importing.open_table

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "open_table", counted)
    job = import_job_create(actor=personas.town_staff, kind="residents",
                            data=xls_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A)]))
    assert job.status == ImportStatus.VALIDATED and len(calls) == 1
    assert Resident.objects.count() == 0 and Household.objects.count() == 0
