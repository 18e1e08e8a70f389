import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from zhenwu.casework.services import attachment_add
from zhenwu.errors import FieldError


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_THUMBNAIL_PX = 64


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x0132] = "2025:09:30 08:15:00"
    exif[0x8825] = {1: "N", 2: (31.0, 57.0, 30.0), 3: "E", 4: (119.0, 31.0, 30.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "red").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def add(personas, make_case, data, name):
    return attachment_add(actor=personas.town_staff, case=make_case(), data=data, name=name)


@pytest.mark.django_db
def test_it_stores_by_sha256_once_and_reads_exif(personas, make_case):
    data = photo_with_gps()
    link = add(personas, make_case, data, name="现场.jpg")
    again = add(personas, make_case, data, name="copy.jpg")
    a = link.attachment
    assert a.sha256 == hashlib.sha256(data).hexdigest() and again.attachment == a
    assert a.content_type == "image/jpeg" and (a.width, a.height) == (800, 600)
    assert a.gps_lat == pytest.approx(31.958333, abs=1e-5) and a.gps_lng == pytest.approx(119.525, abs=1e-5)
    assert a.taken_at is not None and a.taken_at.hour == 8
    with default_storage.open(a.thumbnail_name) as f:
        assert max(Image.open(f).size) == 64
    with default_storage.open(a.storage_name) as f:
        assert f.read() == data


@pytest.mark.django_db
def test_it_sniffs_the_real_type_and_rejects_others(personas, make_case):
    with pytest.raises(FieldError) as err:
        add(personas, make_case, b"MZ\x90\x00 not a pdf", name="x.pdf")
    assert err.value.field == "file"
    pdf = add(personas, make_case, b"%PDF-1.7\n%%EOF", name="a.jpg")
    assert pdf.attachment.content_type == "application/pdf" and pdf.attachment.thumbnail_name == ""


@pytest.mark.django_db
def test_it_enforces_the_size_limit(personas, make_case, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(FieldError):
        add(personas, make_case, b"%PDF-" + b"x" * 100, name="big.pdf")


@pytest.mark.django_db
def test_a_broken_image_is_a_field_error(personas, make_case):
    with pytest.raises(FieldError):
        add(personas, make_case, b"\x89PNG\r\n\x1a\n garbage", name="x.png")
