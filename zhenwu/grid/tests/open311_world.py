"""Fixtures of the Open311 tests: a registered client, questions on one service, helpers to call the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from zhenwu.grid.models import Category, Open311Attribute, Open311Client
from zhenwu.grid.open311.clients import open311_client_add
from zhenwu.grid.tests.factories import POINT_A

BASE = "/open311/v2/"
FORMATS = ("xml", "json")


@dataclass
class World:
    key: str
    client: Open311Client
    categories: dict[str, Category]
    http: Client

    def get(self, path: str, **params: Any) -> Any:
        return self.http.get(BASE + path, params)

    def post(self, fmt: str, **fields: Any) -> Any:
        fields.setdefault("api_key", self.key)
        return self.http.post(f"{BASE}requests.{fmt}", fields)

    def report(self, fmt: str = "json", *, code: str = "P0101", point: tuple[float, float] = POINT_A,
               **fields: Any) -> Any:
        """POST a valid request for ``code`` (answers for E0101's required question added)."""
        sent: dict[str, Any] = {"service_code": code, "long": point[0], "lat": point[1], "description": "井盖缺了一块"}
        if code == "E0101":
            sent["attribute[AMOUNT]"] = "big"
        return self.post(fmt, **{**sent, **fields})


@pytest.fixture
def world(town: Any, categories: dict[str, Category]) -> World:
    client, key = open311_client_add(name="测试客户端", contact="it@example.org")
    rubbish = categories["E0101"]
    Open311Attribute.objects.create(category=rubbish, code="AMOUNT", datatype="singlevaluelist", required=True,
                                    description="垃圾量", order=1,
                                    values=[{"key": "small", "name": "少量"}, {"key": "big", "name": "成堆"}])
    Open311Attribute.objects.create(category=rubbish, code="HEAPS", datatype="number", description="几堆",
                                    datatype_description="整数", order=2)
    Open311Attribute.objects.create(category=rubbish, code="KINDS", datatype="multivaluelist", order=3,
                                    description="垃圾种类",
                                    values=[{"key": "home", "name": "生活垃圾"}, {"key": "build", "name": "建筑垃圾"}])
    Open311Attribute.objects.create(category=rubbish, code="SEEN", datatype="datetime", order=4,
                                    description="发现时间")
    return World(key=key, client=client, categories=categories, http=Client())
