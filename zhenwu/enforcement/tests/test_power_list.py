"""权责清单: versions, checks, the demo list, the sheet's dry run and import, and the export read back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhenwu.accounts.choices import Role
from zhenwu.enforcement import powers_data
from zhenwu.enforcement.choices import BandLevel
from zhenwu.enforcement.models import InspectionItem, PenaltyPower, PenaltyPowerVersion
from zhenwu.enforcement.services.io import powers_export, powers_import
from zhenwu.enforcement.services.powers import BandDraft, power_check, power_save, powers_load
from zhenwu.enforcement.tests import factories as f
from zhenwu.errors import FieldError, Forbidden
from zhenwu.testing import make_staff


@pytest.fixture
def keeper(town):
    return make_staff("legal", roles=[Role.LEGAL_REVIEWER], scope=town.town)


def test_editing_a_power_makes_a_new_version_and_keeps_the_old(keeper):
    power = power_save(actor=keeper, draft=f.draft())
    first = power.current_version
    assert first is not None
    power = power_save(actor=keeper, draft=f.draft(name="擅自占用城市道路经营"))
    assert power.current_version is not None
    assert power.current_version.number == 2 and power.name == "擅自占用城市道路经营"
    assert PenaltyPowerVersion.objects.get(pk=first.pk).name == "擅自占用城市道路摆摊设点"
    assert list(first.bands.values_list("level", flat=True)).count(BandLevel.GRAVE) == 1


def test_saving_the_same_content_writes_no_version(keeper):
    power_save(actor=keeper, draft=f.draft())
    power = power_save(actor=keeper, draft=f.draft())
    assert power.versions.count() == 1


def test_it_rejects_a_power_without_a_legal_basis(keeper):
    with pytest.raises(FieldError) as exc:
        power_save(actor=keeper, draft=f.draft(law="", article=""))
    assert {"law", "article"} <= {e[0] for e in exc.value.errors}
    assert not PenaltyPower.objects.exists()


def test_it_rejects_overlapping_bands():
    bands = [BandDraft(BandLevel.MINOR, "a", Decimal(0), Decimal(100)),
             BandDraft(BandLevel.ORDINARY, "b", Decimal(50), Decimal(200))]
    assert [e[0] for e in power_check(f.draft(bands=bands))] == ["bands.1.fine_min"]


def test_it_rejects_a_band_without_a_penalty_and_an_inverted_range():
    bands = [BandDraft(BandLevel.MINOR, "a"), BandDraft(BandLevel.ORDINARY, "b", Decimal(300), Decimal(200))]
    fields = [e[0] for e in power_check(f.draft(bands=bands))]
    assert "bands.0.other_penalty" in fields and "bands.1.fine_max" in fields


def test_only_list_keepers_edit_the_list(town, personas):
    with pytest.raises(Forbidden):
        power_save(actor=personas.town_staff, draft=f.draft())


def test_the_demo_list_has_150_powers_from_8_departments_and_loads_twice(db):
    drafts = powers_data.drafts()
    assert len(drafts) >= 150 and len({d.department for d in drafts}) >= 8
    assert len({d.code for d in drafts}) == len(drafts)
    assert powers_load(drafts) == (len(drafts), 0)
    assert powers_load(drafts) == (0, len(drafts))
    assert InspectionItem.objects.count() >= 8 * 3


def test_the_dry_run_names_every_bad_row_and_writes_nothing(keeper):
    data = f.sheet([
        f.row(level="轻微", lo=0, hi=50),
        f.row(level="一般", lo=40, hi=200),  # overlaps 轻微
        f.row("320000-CG-010", law=""),  # no basis
        f.row("320000-CG-011", lo="abc"),  # not an amount
        f.row("320000-CG-012", lo=-5),  # negative
        f.row("320000-CG-013", department="外星部"),
        f.row("320000-CG-014", level="一般", name="另一个名称"),
        f.row("320000-CG-014", level="较重", lo=200, hi=500, name="又一个名称"),  # differs from its first row
    ])
    report = powers_import(actor=keeper, data=data, dry_run=False)
    assert [(e["row"], e["field"]) for e in report.errors] == [
        (4, "fine_min"), (5, "law"), (6, "fine_min"), (7, "fine_min"), (8, "department"), (10, "name")]
    assert report.errors[0]["column"] == "罚款下限（元）" and report.errors[1]["message_en"]
    assert not PenaltyPower.objects.exists()


def test_a_clean_sheet_imports_and_the_export_reads_back(keeper):
    data = f.sheet([f.row(level="轻微", lo=0, hi=50, other="警告", duty="调查责任", acc="未依法回避的"),
                    f.row(level="一般", lo="50", hi="２００"),  # full-width digits, as typed with a Chinese IME
                    f.row("320000-CG-010", level="一般", lo=None, hi=None, other="责令改正")])
    dry = powers_import(actor=keeper, data=data)
    assert (dry.errors, dry.powers, dry.written) == ([], 2, 0) and not PenaltyPower.objects.exists()
    report = powers_import(actor=keeper, data=data, dry_run=False)
    assert report.written == 2
    power = PenaltyPower.objects.get(code="320000-CG-009")
    assert power.current_version is not None
    assert [(b.fine_min, b.fine_max) for b in power.current_version.bands.all()] == [
        (Decimal("0.00"), Decimal("50.00")), (Decimal("50.00"), Decimal("200.00"))]
    again = powers_import(actor=keeper, data=powers_export(), dry_run=False)
    assert (again.errors, again.written, again.unchanged) == ([], 0, 2)


def test_the_export_of_the_demo_list_imports_unchanged(keeper):
    powers_load(powers_data.drafts()[:20])
    report = powers_import(actor=keeper, data=powers_export(), dry_run=False)
    assert (report.errors, report.written, report.unchanged) == ([], 0, 20)
