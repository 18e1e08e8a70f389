"""What one authenticated request costs: a bounded number of queries, and never a scope area's geometry
(a town's GeoJSON can be megabytes; authentication and scope checks read only its code)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhenwu.accounts.services import token_create
from zhenwu.testing import Personas

ME = "/api/v1/accounts/me"


def _geometry_read(queries: list[dict[str, Any]]) -> list[str]:
    return [q["sql"] for q in queries if "geometry" in q["sql"]]


def test_me_with_a_token_costs_one_query_and_no_geometry(personas: Personas,
                                                          django_assert_max_num_queries: Any) -> None:
    _row, secret = token_create(user=personas.town_staff, device="phone")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    api.get(ME)  # the first use stamps last_used_at (once a minute); the steady state is what counts
    with django_assert_max_num_queries(1), CaptureQueriesContext(connection) as seen:
        body = api.get(ME).json()
    assert body["scope_area"]["code"] == personas.town_staff.scope_area.code  # type: ignore[union-attr]
    assert body["roles"] == ["reviewer", "window_clerk"]
    assert not _geometry_read(seen.captured_queries)


@pytest.mark.parametrize("path", [ME, "/api/v1/services/applications"])
def test_a_session_request_never_reads_the_scope_geometry(personas: Personas, path: str) -> None:
    client = Client()
    client.force_login(personas.town_staff)
    with CaptureQueriesContext(connection) as seen:
        assert client.get(path).status_code == 200
    assert not _geometry_read(seen.captured_queries)


def test_the_geometry_is_still_there_when_asked_for(personas: Personas) -> None:
    from zhenwu.accounts.models import User

    user = User.objects.get(pk=personas.town_staff.pk)
    geometry = user.scope_area.geometry if user.scope_area else None
    assert geometry is not None and geometry["type"] == "Polygon"
