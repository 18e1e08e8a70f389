"""Real ID numbers: format, birth date and check character — never the region code's history (issue 7.2)."""

from __future__ import annotations

import pytest
from django.utils import translation

from zhenwu.accounts.validation import clean_id_number
from zhenwu.errors import FieldError
from zhenwu.registry.importing import import_check_file
from zhenwu.registry.models import Resident
from zhenwu.registry.tests import factories as f
from zhenwu.registry.tests.import_files import (
    RESIDENT_HEADERS,
    media,  # noqa: F401,E402 (a fixture)
    resident_row,
    xlsx_bytes,
)
from zhenwu.testing import GRID_A

pytestmark = pytest.mark.django_db

# Born 1950 in 仪征市 (321181), a county-level city whose code dates from 1987: a real, valid number.
REAL = "321181195006125974"


def _message(value: str) -> str:
    with pytest.raises(FieldError) as exc, translation.override("en"):
        clean_id_number(value)
    with translation.override("en"):
        return str(exc.value.errors[0][1])


def test_it_accepts_a_number_whose_region_code_is_younger_than_its_holder():
    assert clean_id_number(REAL) == REAL


def test_it_reads_full_width_digits_and_spaces():
    assert clean_id_number("１１０１０５ １９４９１２３１ ００２ｘ") == "11010519491231002X"


@pytest.mark.parametrize(("value", "expected"), [
    ("32118119500612597", "18 characters; this one has 17"),
    ("3211811950061259745", "this one has 19"),
    ("32118119500612597A", "contains “A”"),
    ("3211811950O6125974", "contains “O”"),
    ("321181195002305974", "characters 7–14: 1950-02-30) is not a real date"),
    ("321181209901015974", "(2099-01-01) is in the future"),
    ("321181180001015974", "(1800-01-01) is more than 130 years ago"),
    ("321181195006125975", "check character (the last one) does not match"),
])
def test_it_names_the_real_problem(value, expected):
    assert expected in _message(value)


@pytest.mark.usefixtures("media")
def test_the_import_accepts_the_real_number(town):
    data = xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A, 身份证号=REAL)])
    checked = import_check_file(actor=None, kind="residents", data=data)
    assert checked.errors == [] and list(checked.valid.values())[0]["id_number"] == REAL


def test_the_registry_form_accepts_the_real_number(personas):
    response = f.client_for(personas.grid_worker_a).post("/registry/residents/new/", {
        "id_number": REAL, "name": "王老汉", "status": "registered", "grid": GRID_A})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Resident.objects.get(id_number=REAL).birth_date.isoformat() == "1950-06-12"


def test_the_api_accepts_the_real_number_and_explains_a_wrong_one(personas):
    client = f.client_for(personas.grid_worker_a)
    body = {"id_number": REAL, "name": "王老汉", "grid": GRID_A, "status": "registered"}
    assert client.post("/api/v1/registry/residents", body, content_type="application/json").status_code == 201
    wrong = client.post("/api/v1/registry/residents", {**body, "id_number": REAL[:-1] + "5"},
                        content_type="application/json")
    assert wrong.status_code == 400
    error = wrong.json()["errors"][0]
    assert error["field"] == "id_number" and "校验码" in error["message"] and "check character" in error["message_en"]


def test_the_service_hall_accepts_the_real_number_for_an_applicant(personas):
    from zhenwu.services.services.submit import applicant_clean
    from zhenwu.services.tests.factories import make_item

    item = make_item()
    assert item.current_version is not None
    cleaned = applicant_clean(actor=personas.town_staff, version=item.current_version,
                              data={"applicant_name": "王老汉", "id_number": REAL, "mobile": "13512342210"})
    assert cleaned["applicant_id_number"] == REAL
