"""Image bombs: an image's canvas is checked from its header before decoding; too large → 400 ``file``."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenwu.casework.models import Attachment
from zhenwu.casework.services import attachment_store
from zhenwu.casework.tests.images import jpeg, png_bomb, png_header_only
from zhenwu.errors import FieldError
from zhenwu.testing import GRID_A

API = "/api/v1/casework"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, user, case, data):
    client.force_login(user)
    return client.post(f"{API}/cases/{case.number}/attachments", {"file": SimpleUploadedFile("x.png", data)})


@pytest.mark.django_db
def test_a_small_png_of_9400_by_9400_pixels_is_refused_before_decoding(client, personas, make_case):
    bomb = png_bomb()
    assert len(bomb) < 300_000
    r = upload(client, personas.grid_worker_a, make_case(area_code=GRID_A), bomb)
    assert r.status_code == 400, r.content
    error = r.json()["errors"][0]
    assert error["field"] == "file" and "64" in error["message_en"] and "64" in error["message"]
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_header_past_pillows_own_limit_is_a_400_not_a_500(client, personas, make_case):
    r = upload(client, personas.grid_worker_a, make_case(area_code=GRID_A), png_header_only(20_000, 20_000))
    assert r.status_code == 400, r.content
    assert r.json()["errors"][0]["field"] == "file"


@pytest.mark.django_db
def test_the_pixel_limit_is_a_setting(personas, settings):
    settings.ATTACHMENT_MAX_PIXELS = 2_000_000
    assert attachment_store(actor=personas.citizen, data=jpeg(1600, 1250)).width == 1600  # exactly 2 MP
    with pytest.raises(FieldError) as err:
        attachment_store(actor=personas.citizen, data=jpeg(1601, 1250))
    assert err.value.field == "file"
