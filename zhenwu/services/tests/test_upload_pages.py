"""Uploads through the pages (issue 8): an image bomb or a file past the day's quota brings the form back
with the error (never a 500), and a hidden hash cannot smuggle in someone else's file."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.casework.tests.images import png_bomb
from zhenwu.services.models import Application
from zhenwu.services.tests.factories import PDF, upload, window_app

pytestmark = pytest.mark.django_db
APPLY = "/portal/apply/320000-MZ-0001/"


def as_user(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def pdf(salt: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("a.pdf", PDF + salt.encode(), content_type="application/pdf")


def test_an_image_bomb_on_the_portal_brings_the_form_back_with_the_error(hall: Any, item: Any) -> None:
    bomb = SimpleUploadedFile("photo.png", png_bomb(), content_type="image/png")
    r = as_user(hall.citizen).post(APPLY, {"file_0": bomb, "file_1": pdf("1")})
    page = r.content.decode()
    assert r.status_code == 400 and "图片像素过大" in page and 'name="sha_1"' in page
    assert not Application.objects.exists()


def test_an_image_bomb_at_the_window_brings_the_form_back_with_the_error(hall: Any, item: Any) -> None:
    data = {"item_code": "320000-MZ-0001", "channel": "window", "applicant_kind": "person",
            "applicant_name": "孙丽", "id_number": "110105194912310038", "mobile": "13812345678",
            "materials": ["身份证", "照片"], "file_0": SimpleUploadedFile("p.png", png_bomb(), "image/png")}
    r = as_user(hall.clerk).post("/services/applications/new/", data)
    assert r.status_code == 400 and "图片像素过大" in r.content.decode()
    assert not Application.objects.exists()


def test_the_days_quota_on_the_portal_is_a_form_error(hall: Any, item: Any, settings: Any) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "upload_bytes_public": "60/86400"}
    r = as_user(hall.citizen).post(APPLY, {"file_0": pdf("1" * 20), "file_1": pdf("2" * 20)})
    assert r.status_code == 400 and "上传额度" in r.content.decode()
    assert not Application.objects.exists()


def test_a_hidden_hash_of_someone_elses_file_is_refused(hall: Any, item: Any) -> None:
    theirs = upload(hall.clerk)
    window_app(hall, materials=[{"name": "身份证", "attachments": [theirs]}])
    r = as_user(hall.citizen).post(APPLY, {"sha_0": theirs, "fname_0": "x.pdf", "file_1": pdf("1")})
    assert r.status_code == 400
    assert Application.objects.count() == 1  # only the clerk's
