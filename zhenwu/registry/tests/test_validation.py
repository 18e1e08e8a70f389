"""Every validation rule of a resident, household and enterprise, through the services."""

from __future__ import annotations

import datetime

import pytest

from zhenwu.errors import FieldError
from zhenwu.registry import services
from zhenwu.registry.cleaning import enterprise_clean, resident_clean
from zhenwu.registry.tests import factories as f
from zhenwu.testing import GRID_A, GRID_B, VALID_USCC

pytestmark = pytest.mark.django_db


def _resident(**extra: object) -> dict[str, object]:
    return {"id_number": f.id_number("19900315", 11), "name": "王小明", "mobile": "13512342210",
            "grid": GRID_A, "status": "registered", **extra}


def _fields(exc: pytest.ExceptionInfo[FieldError]) -> list[str | None]:
    return [field for field, _message in exc.value.errors]


def test_it_derives_birth_date_and_sex_from_the_id_number(personas):
    row = services.resident_create(actor=personas.grid_worker_a, data=_resident(birth_date="2000-01-01", sex="F"))
    assert (row.birth_date, row.sex, row.area_code) == (datetime.date(1990, 3, 15), "M", GRID_A)


def test_it_rejects_an_id_number_with_a_bad_checksum(personas):
    good = f.id_number("19900315", 11)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(FieldError) as exc:
        services.resident_create(actor=personas.grid_worker_a, data=_resident(id_number=bad))
    assert _fields(exc) == ["id_number"]


def test_it_rejects_a_bad_mobile(personas):
    with pytest.raises(FieldError) as exc:
        services.resident_create(actor=personas.grid_worker_a, data=_resident(mobile="2351234221"))
    assert _fields(exc) == ["mobile"]


def test_it_rejects_a_bad_uscc(personas):
    data = {"uscc": VALID_USCC[:-1] + "0", "name": "甲公司", "legal_representative": "赵大海",
            "address": "工业园1号", "grid": GRID_A}
    with pytest.raises(FieldError) as exc:
        services.enterprise_create(actor=personas.grid_worker_a, data=data)
    assert _fields(exc) == ["uscc"]


def test_it_rejects_a_grid_that_does_not_exist(personas):
    with pytest.raises(FieldError) as exc:
        services.resident_create(actor=personas.town_staff, data=_resident(grid="321181102299001001"))
    assert _fields(exc) == ["grid"]


def test_it_rejects_a_grid_outside_the_actors_scope(personas):
    with pytest.raises(FieldError) as exc:
        services.resident_create(actor=personas.grid_worker_a, data=_resident(grid=GRID_B))
    assert _fields(exc) == ["grid"]


def test_it_rejects_an_area_that_is_not_a_grid(personas, town):
    with pytest.raises(FieldError) as exc:
        services.resident_create(actor=personas.town_staff, data=_resident(grid=town.village_a.code))
    assert _fields(exc) == ["grid"]


def test_it_answers_409_on_a_duplicate_id_number(personas):
    services.resident_create(actor=personas.grid_worker_a, data=_resident())
    with pytest.raises(FieldError) as exc:
        services.resident_create(actor=personas.town_staff, data=_resident(grid=GRID_B, name="李四"))
    assert (_fields(exc), exc.value.status) == (["id_number"], 409)


def test_it_requires_arrival_date_and_origin_of_a_floating_resident(personas):
    with pytest.raises(FieldError) as exc:
        services.resident_create(actor=personas.grid_worker_a, data=_resident(status="floating"))
    assert set(_fields(exc)) == {"arrival_date", "origin"}


def test_it_accepts_a_floating_resident_with_arrival_date_and_origin(personas):
    row = services.resident_create(actor=personas.grid_worker_a,
                                   data=_resident(status="流动", arrival_date="2024-03-01", origin="安徽省阜阳市"))
    assert (row.status, row.arrival_date) == ("floating", datetime.date(2024, 3, 1))


def test_it_refuses_a_role_that_may_not_edit(personas):
    with pytest.raises(FieldError) as exc:
        services.resident_create(actor=personas.county_staff, data=_resident())
    assert exc.value.status == 403


def test_the_pure_cleaners_accept_chinese_terms_and_report_every_error():
    cleaned, errors = resident_clean(_resident(tags="低保、党员", relation="户主"))
    assert (errors, cleaned["tags"], cleaned["relation"]) == ([], ["dibao", "party"], "head")
    _cleaned, errors = enterprise_clean({"uscc": "bad", "name": ""})
    assert {"uscc", "name", "legal_representative", "address", "grid"} == {field for field, _m in errors}
