"""incident_report: located to the grid, photos kept on the case, the case filed under SJ with the
dispatch limit; bad input a 400 on its field with nothing written; duplicates nearby."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from zhenwu.casework.kinds import case_kind, case_pillar
from zhenwu.casework.models import AuditEntry, Case, CaseAttachment
from zhenwu.errors import FieldError
from zhenwu.grid.models import Incident
from zhenwu.grid.services.incidents import incident_duplicates, incident_report
from zhenwu.grid.tests.factories import OUTSIDE, POINT_A, POINT_B, jpeg, report
from zhenwu.testing import GRID_A, GRID_B, Personas

pytestmark = pytest.mark.django_db


def test_a_patrol_report_lands_in_the_grid_of_its_point(categories: dict, personas: Personas) -> None:
    incident = report(personas.grid_worker_a, address="东山路12号")
    case = incident.case
    assert case.kind == "SJ" and case.number.startswith("SJ-321181102-")
    assert case.area_code == GRID_A and case.status == "reported" and case.process == "grid:incident:v1"
    assert case.deadline_unit == "hours" and case.deadline_due_at is not None  # the dispatch limit runs
    assert incident.category.code == "E0101" and incident.category_version.number == 1
    assert incident.reporter == personas.grid_worker_a and incident.source == "patrol"
    assert (incident.lng, incident.lat) == POINT_A
    assert len(incident.photos) == 1
    assert CaseAttachment.objects.filter(case=case, attachment__sha256=incident.photos[0]).exists()
    kind = case_kind(case)
    assert kind is not None and kind.code == "SJ" and case_pillar(case) == incident
    assert str(kind.label) in ("网格事件", "Grid incident")


def test_an_anonymous_citizen_report_in_gcj02_with_the_grid_found(categories: dict, town: object) -> None:
    import coordTransform

    gx, gy = coordTransform.wgs84_to_gcj02(*POINT_B)
    incident = incident_report(actor=None, category="P0201", lng=gx, lat=gy, crs="gcj02", description="路灯不亮",
                               source="citizen", reporter_name="王先生", reporter_mobile="13812345678",
                               photos=[("p.jpg", jpeg("blue"))])
    assert incident.case.area_code == GRID_B and incident.case.created_by is None
    assert incident.lng is not None and incident.lat is not None
    assert abs(incident.lng - POINT_B[0]) < 1e-4 and abs(incident.lat - POINT_B[1]) < 1e-4
    assert incident.reporter_mobile == "13812345678"


def test_the_grid_picked_on_the_map_when_there_is_no_point(categories: dict, personas: Personas) -> None:
    incident = report(personas.town_staff, point=(None, None), grid_code=GRID_B, source="hotline")  # type: ignore[arg-type]
    assert incident.case.area_code == GRID_B and incident.lng is None


@pytest.mark.parametrize(("change", "field"), [
    ({"category": "X9999"}, "category"),
    ({"category": "E01"}, "category"),  # a major class is not reportable
    ({"point": OUTSIDE}, "lng"),
    ({"point": (200.0, 31.0)}, "lng"),
    ({"crs": "mars"}, "crs"),
    ({"grid_code": "321181102999"}, "grid_code"),
    ({"description": "  "}, "description"),
    ({"source": "pigeon"}, "source"),
    ({"photos": [("a.txt", b"plain text, not a photo")]}, "photos"),
    ({"photos": [("a.jpg", jpeg()), ("b.pdf", b"%PDF-1.4 ...")]}, "photos"),
    ({"photos": [("a.jpg", b"\xff\xd8\xff\xe0 a broken JPEG")]}, "photos"),  # looks like one, cannot be read
    ({"reporter_mobile": "12345"}, "reporter_mobile"),
    ({"reported_at": dt.datetime(2099, 1, 1, tzinfo=dt.UTC)}, "reported_at"),
])
def test_bad_input_is_a_400_on_its_field_and_writes_nothing(categories: dict, personas: Personas,
                                                            change: dict, field: str) -> None:
    with pytest.raises(FieldError) as caught:
        report(personas.grid_worker_a, **change)
    assert field in {f for f, _m in caught.value.errors}
    assert not Case.objects.exists() and not Incident.objects.exists() and not AuditEntry.objects.exists()


@override_settings(GRID_PHOTO_MAX_BYTES=1000)
def test_a_photo_over_the_limit_is_refused(categories: dict, personas: Personas) -> None:
    with pytest.raises(FieldError) as caught:
        report(personas.grid_worker_a, photos=[("big.jpg", jpeg(size=(400, 400)) + b"\0" * 2000)])
    assert caught.value.field == "photos"
    assert not Case.objects.exists()


def test_a_grid_worker_cannot_report_into_another_grid_by_code(categories: dict, personas: Personas) -> None:
    with pytest.raises(FieldError) as caught:
        report(personas.grid_worker_a, point=(None, None), grid_code=GRID_B)  # type: ignore[arg-type]
    assert caught.value.field == "grid_code"


def test_duplicates_same_category_near_and_recent_only(categories: dict, personas: Personas) -> None:
    first = report(personas.grid_worker_a)
    lng, lat = POINT_A
    near = (lng + 0.0003, lat)  # about 28 m east
    assert incident_duplicates(category="E0101", lng=near[0], lat=near[1]) == [first]
    assert incident_duplicates(category="E0101", lng=lng + 0.001, lat=lat) == []  # about 95 m
    assert incident_duplicates(category="E0106", lng=lng, lat=lat) == []  # another category
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=8)
    assert incident_duplicates(category="E0101", lng=lng, lat=lat, now=later) == []  # too old
    Incident.objects.filter(pk=first.pk).update(is_open=False)
    assert incident_duplicates(category="E0101", lng=lng, lat=lat) == []  # closed


def test_the_duplicate_check_reads_only_the_points_when_none_is_near(categories: dict, personas: Personas,
                                                                     django_assert_num_queries) -> None:
    first = report(personas.grid_worker_a)
    lng, lat = POINT_A
    category = first.category
    with django_assert_num_queries(1):  # the bare points of the box; nothing within 50 m
        assert incident_duplicates(category=category, lng=lng + 0.001, lat=lat) == []
    with django_assert_num_queries(1):  # the only one near is the report itself, left out
        assert incident_duplicates(category=category, lng=lng, lat=lat, exclude=[first.pk]) == []
    with django_assert_num_queries(2):  # one is near: then the incidents themselves, with their cases
        assert [d.case.number for d in incident_duplicates(category=category, lng=lng, lat=lat)] == [
            first.case.number]


def test_the_kind_and_process_are_registered() -> None:
    from zhenwu.casework.kinds import kind_get
    from zhenwu.casework.process import process_get, process_load
    from zhenwu.grid.process import definition

    kind = kind_get("SJ")
    assert kind is not None and kind.own_services_only and kind.model is Incident
    proc = process_get("grid:incident:v1")
    assert proc.start.key == "reported"
    process_load(definition(), check_callables=True)  # every effect is registered


def test_a_photos_exif_time_and_gps_are_kept_as_evidence(categories, personas: Personas) -> None:
    import io

    from PIL import Image

    from zhenwu.casework.models import Attachment

    exif = Image.Exif()
    exif[0x0132] = "2025:09:30 08:15:00"
    exif[0x8825] = {1: "N", 2: (31.0, 57.0, 0.0), 3: "E", 4: (119.0, 31.0, 12.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG", exif=exif)
    incident = report(personas.grid_worker_a, photos=[("exif.jpg", buffer.getvalue())])
    stored = Attachment.objects.get(sha256=incident.photos[0])
    from zhenwu.testing import local

    assert stored.taken_at == local(2025, 9, 30, 8, 15)  # the camera's local time
    assert stored.gps_lat is not None and abs(stored.gps_lat - 31.95) < 1e-6
    assert stored.gps_lng is not None and abs(stored.gps_lng - 119.52) < 1e-6


def test_the_loader_command_loads_every_category(db) -> None:
    import io

    from django.core.management import call_command

    from zhenwu.grid.category_data import MINORS
    from zhenwu.grid.models import Category

    out = io.StringIO()
    call_command("grid_categories", stdout=out)
    assert f"categories={len(MINORS)}" in out.getvalue()
    assert Category.objects.filter(parent__isnull=False, current_version__isnull=False).count() == len(MINORS)
