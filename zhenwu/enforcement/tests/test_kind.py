"""The penalty case kind ZF: registered once, mapping a case to its row and page, moved only by this app."""

from __future__ import annotations

from django.test import Client

from zhenwu.casework.kinds import case_kind, case_pillar, case_url, kind_get
from zhenwu.enforcement.models import PenaltyCase
from zhenwu.enforcement.tests import factories as f


def test_the_kind_is_registered_once():
    kind = kind_get("ZF")
    assert kind is not None and kind.model is PenaltyCase and kind.own_services_only
    assert kind.owns_process("enforcement:general:v1") and kind.owns_process("enforcement:summary:v1")


def test_a_case_maps_to_its_row_and_page_and_the_generic_endpoint_refuses_it(team, town):
    row = f.penalty_case(town)
    assert case_kind(row.case) is kind_get("ZF") and case_pillar(row.case) == row
    assert case_url(row.case) == f"/api/v1/enforcement/cases/{row.case.number}"
    client = Client()
    client.force_login(team.leader)
    seen = client.get(f"/api/v1/casework/cases/{row.case.number}").json()
    assert seen["kind_label"] == "执法案件" and seen["page_url"] == case_url(row.case)
    moved = client.post(f"/api/v1/casework/cases/{row.case.number}/transitions",
                        {"action": "approve_filing", "fields": {"opinion": "同意"}}, content_type="application/json")
    assert moved.status_code == 403 and PenaltyCase.objects.get(pk=row.pk).case.status == "registered"
