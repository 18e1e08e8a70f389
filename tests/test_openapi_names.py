"""The OpenAPI document names each schema once: two different schemas under one name are refused.

Ninja files every schema under its class name, and a second class of the same name silently replaced
the first (enterprise self-registration was documented with the registry's enterprise body).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from ninja import Router, Schema

from zhenwu.api import ZhenwuAPI


def _ref(schema: dict) -> str:
    return schema["$ref"].rsplit("/", 1)[-1]


class ThingIn(Schema):
    name: str


FirstThingIn = ThingIn


class ThingIn(Schema):  # type: ignore[no-redef]  # the clash under test
    code: int


SecondThingIn = ThingIn


def test_it_refuses_two_different_schemas_with_one_name() -> None:
    api, router = ZhenwuAPI(urls_namespace="clash-test"), Router()

    @router.post("/a")
    def a(request: object, payload: FirstThingIn) -> None:
        return None

    @router.post("/b")
    def b(request: object, payload: SecondThingIn) -> None:
        return None

    api.add_router("/", router)
    with pytest.raises(ImproperlyConfigured, match="ThingIn"):
        api.get_openapi_schema(path_prefix="/")


@pytest.mark.django_db
def test_it_documents_enterprise_registration_with_its_own_body() -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    body = spec["paths"]["/api/v1/accounts/enterprises"]["post"]["requestBody"]["content"]["application/json"]
    props = spec["components"]["schemas"][_ref(body["schema"])]["properties"]
    assert set(props) == {"uscc", "name", "mobile", "password", "code"}
    registry = spec["paths"]["/api/v1/registry/enterprises"]["post"]["requestBody"]["content"]["application/json"]
    assert "legal_representative" in spec["components"]["schemas"][_ref(registry["schema"])]["properties"]


@pytest.mark.django_db
def test_it_documents_the_staff_list_and_the_area_staff_apart() -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    staff = spec["paths"]["/api/v1/accounts/staff"]["get"]["responses"]["200"]["content"]["application/json"]
    paged = schemas[_ref(staff["schema"])]
    assert "username" in schemas[_ref(paged["properties"]["items"]["items"])]["properties"]
    assert {"code", "name"} <= set(schemas["ScopeAreaOut"]["properties"])
    assert "level_label" in schemas["AreaOut"]["properties"]
