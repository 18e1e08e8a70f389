"""The window intake's write path: a bounded number of round trips, with nothing it guarantees lost."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from zhenwu.accounts.services import token_create
from zhenwu.casework.models import AuditEntry, Case, CaseFilingStat
from zhenwu.casework.services.audit import case_deadline_snapshot
from zhenwu.casework.services.audit_verify import audit_verify
from zhenwu.casework.services.cases import reserved_keys_forget
from zhenwu.services.models import Application
from zhenwu.services.tests.factories import Hall, all_materials
from zhenwu.testing import VALID_ID

pytestmark = pytest.mark.django_db
BODY = {"item_code": "320000-MZ-0001", "channel": "window", "materials": all_materials(),
        "applicant": {"applicant_name": "王芳", "id_number": VALID_ID, "mobile": "13512342210"}}


def test_a_window_filing_costs_at_most_twelve_queries(hall: Hall, item: Any,
                                                       django_assert_max_num_queries: Any) -> None:
    _row, secret = token_create(user=hall.clerk, device="window PC")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    post = lambda: api.post("/api/v1/services/applications", json.dumps(BODY),  # noqa: E731
                            content_type="application/json")
    # On PostgreSQL a filing takes its case key from a block reserved per connection (one statement per 16
    # filings): the keys an earlier test left on this connection would make the block's refill fall on the
    # second filing, so the first refills it here.
    reserved_keys_forget()
    assert post().status_code == 201  # the first stamps the token's last use and makes the day's rows
    with django_assert_max_num_queries(12):
        second = post()
    assert second.status_code == 201
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert [n[-4:] for n in numbers] == ["0001", "0002"] and second.json()["number"] == numbers[1]
    case = Case.objects.get(number=numbers[1])
    entry = AuditEntry.objects.get(subject=case.number)
    assert (entry.seq, entry.action, entry.to_state) == (1, "create", case.status)
    assert entry.deadline == case_deadline_snapshot(case)  # the entry records the case's clock
    checked, problems = audit_verify()
    assert checked == AuditEntry.objects.count() and not problems
    assert CaseFilingStat.objects.get().cases == Application.objects.count() == 2


def test_a_clerk_outside_the_area_still_cannot_file_there(hall: Hall, item: Any, town: Any) -> None:
    _row, secret = token_create(user=hall.village_a, device="village PC")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    body = {**BODY, "channel": "proxy", "area_code": town.village_b.code,
            "consent": {"by": "赵大爷", "method": "书面委托签字", "at": "2025-01-01T10:00:00+08:00"}}
    r = api.post("/api/v1/services/applications", json.dumps(body), content_type="application/json")
    assert r.status_code in (400, 404) and not Case.objects.exists()
