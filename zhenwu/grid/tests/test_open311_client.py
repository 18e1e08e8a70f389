"""An Open311 client that knows only the spec works unchanged: discovery → services → definition → POST →
GET by id, in XML (the required format) and in JSON, finding every address from the discovery document."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET  # noqa: N817 - parsing our own test responses

import pytest
from django.test import Client

from zhenwu.grid.tests.factories import POINT_A

pytestmark = pytest.mark.django_db

MIME = {"xml": "text/xml", "json": "application/json"}


class GeoReportClient:
    """Speaks GeoReport v2 as written: the endpoint from discovery, ``<resource>.<format>``, form-encoded
    POST with api_key; nothing about this server."""

    def __init__(self, http: Client, discovery_url: str, fmt: str, api_key: str) -> None:
        self.http, self.fmt, self.api_key = http, fmt, api_key
        doc = self._read(http.get(f"{discovery_url}.{fmt}"))
        endpoint = next(e for e in self._list(doc["endpoints"]) if e["type"] == "production")
        assert MIME[fmt] in self._list(endpoint["formats"])
        self.base = urlsplit(endpoint["url"]).path

    def _read(self, response: Any) -> Any:
        assert response.status_code == 200, response.content
        if self.fmt == "json":
            return json.loads(response.content)
        root = ET.fromstring(response.content)
        return self._xml(root)

    def _xml(self, element: ET.Element) -> Any:
        children = list(element)
        if not children:
            return element.text
        tags = {c.tag for c in children}
        if len(children) > 1 and len(tags) == 1 or element.tag in ("services", "service_requests", "attributes",
                                                                       "values", "endpoints", "formats"):
            return [self._xml(c) for c in children]
        return {c.tag: self._xml(c) for c in children}

    @staticmethod
    def _list(value: Any) -> list[Any]:
        return value if isinstance(value, list) else [] if value is None else [value]

    def services(self) -> list[dict[str, Any]]:
        return self._list(self._read(self.http.get(f"{self.base}/services.{self.fmt}")))

    def definition(self, code: str) -> dict[str, Any]:
        return self._read(self.http.get(f"{self.base}/services/{code}.{self.fmt}"))

    def create(self, fields: dict[str, Any]) -> dict[str, Any]:
        answer = self._read(self.http.post(f"{self.base}/requests.{self.fmt}", {"api_key": self.api_key, **fields}))
        return self._list(answer)[0]

    def request(self, service_request_id: str) -> dict[str, Any]:
        return self._list(self._read(self.http.get(f"{self.base}/requests/{service_request_id}.{self.fmt}")))[0]


def answers(definition: dict[str, Any]) -> dict[str, str]:
    """Fill what a form would: the first choice of each required list question."""
    found = {}
    for attribute in GeoReportClient._list(definition["attributes"]):
        if str(attribute["required"]).lower() == "true":
            values = GeoReportClient._list(attribute["values"])
            found[f"attribute[{attribute['code']}]"] = values[0]["key"] if values else "1"
    return found


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_spec_only_client_reports_and_tracks(world, fmt):
    client = GeoReportClient(world.http, "/open311/v2/discovery", fmt, world.key)
    service = next(s for s in client.services() if str(s["metadata"]).lower() == "true")
    fields = {"service_code": service["service_code"], "lat": POINT_A[1], "long": POINT_A[0],
              "description": "路口有一堆垃圾", **answers(client.definition(service["service_code"]))}
    created = client.create(fields)
    assert created["service_request_id"]
    tracked = client.request(created["service_request_id"])
    assert tracked["status"] == "open"
    assert tracked["service_code"] == service["service_code"]
    assert tracked["description"].startswith("路口有一堆垃圾")
