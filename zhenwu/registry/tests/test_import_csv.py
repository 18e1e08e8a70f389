"""CSV in the encodings Chinese offices produce: UTF-8 with or without BOM, GB18030, Excel's UTF-16."""

from __future__ import annotations

import pytest

from zhenwu.registry.importing import import_check_file
from zhenwu.registry.tests.import_files import RESIDENT_HEADERS, csv_bytes, resident_row
from zhenwu.testing import GRID_A

pytestmark = pytest.mark.django_db


def _rows() -> list[list[object]]:
    return [resident_row(1, GRID_A, 姓名="张三丰"), resident_row(2, GRID_A, 姓名="李四", 居住状态="常住")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_it_reads_csv_in_each_encoding(personas, encoding: str) -> None:
    checked = import_check_file(actor=personas.town_staff, kind="residents",
                                data=csv_bytes(RESIDENT_HEADERS, _rows(), encoding=encoding))
    assert checked.errors == []
    assert sorted(v["name"] for v in checked.valid.values()) == ["张三丰", "李四"]
    assert checked.valid[3]["status"] == "permanent"


def test_it_reads_tab_separated_utf16_text(personas) -> None:
    lines = ["\t".join(RESIDENT_HEADERS), *("\t".join(str(c) for c in r) for r in _rows())]
    data = "\r\n".join(lines).encode("utf-16")
    checked = import_check_file(actor=personas.town_staff, kind="residents", data=data)
    assert checked.errors == [] and len(checked.valid) == 2


def test_row_numbers_count_the_header_as_row_one_and_skip_nothing(personas) -> None:
    rows = [resident_row(1, GRID_A), [""] * len(RESIDENT_HEADERS), resident_row(3, GRID_A, 居住状态="外星")]
    checked = import_check_file(actor=personas.town_staff, kind="residents", data=csv_bytes(RESIDENT_HEADERS, rows))
    assert [(e.row, e.column) for e in checked.errors] == [(4, "居住状态")]
    assert checked.total == 2
