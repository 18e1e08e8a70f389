"""Aliases per item: 低保 finds 最低生活保障审核确认 in the guide and the catalogue API; they are seeded for
common abbreviations and edited in the admin (a new version)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.errors import FieldError
from zhenwu.services.catalogue_data import CATALOGUE
from zhenwu.services.services import catalogue_load, service_item_update
from zhenwu.services.tests.factories import make_item
from zhenwu.testing import make_staff

pytestmark = pytest.mark.django_db


def test_the_guide_finds_the_item_by_its_common_abbreviation(db: None) -> None:
    catalogue_load(items=[e for e in CATALOGUE if e["name"] in ("最低生活保障审核确认", "临时救助申请审核")])
    page = Client().get("/public/guide/", {"q": "低保"}).content.decode()
    assert "最低生活保障审核确认" in page and "临时救助申请审核" not in page
    api = Client().get("/api/v1/services/catalogue", {"q": "低保"}).json()
    assert [i["name"] for i in api] == ["最低生活保障审核确认"]


def test_aliases_are_a_versioned_element(db: None) -> None:
    item = make_item(aliases=["优待证"])
    version = service_item_update(actor=None, item=item, changes={"aliases": "老年证、敬老卡"})
    item.refresh_from_db()
    assert version.number == 2 and version.aliases == ["老年证", "敬老卡"] and item.aliases == "老年证|敬老卡"
    with pytest.raises(FieldError) as err:
        service_item_update(actor=None, item=item, changes={"aliases": ["x" * 31]})
    assert err.value.field == "aliases"


def test_the_admin_edits_the_aliases(town: Any, item: Any, settings: Any) -> None:
    settings.ADMIN_TWO_FACTOR = False
    client = Client()
    client.force_login(make_staff("root", roles=[Role.ADMIN], scope=town.county, is_staff=True, is_superuser=True))
    r = client.post(f"/admin/services/serviceitem/{item.pk}/change/",
                    {"active": "on", "chain": ["first_review", "approval"], "promised_limit_days": "3",
                     "fees": "不收费", "aliases": "老年证, 敬老卡"})
    assert r.status_code == 302
    assert "老年人优待证" in Client().get("/public/guide/", {"q": "敬老卡"}).content.decode()
