"""The demo's year of 一队执法 on a small town: certified officers (one lapsed, one ending soon), penalty cases
mostly by the summary procedure with general ones at realistic states and a hearing, the ``officer`` login's
list holding them, a verifying audit chain, a second build that keeps them and a reset that removes them."""

from __future__ import annotations

from collections import Counter

import pytest
from django.test import Client

from zhenwu.accounts.models import User
from zhenwu.casework.models import Case
from zhenwu.casework.services import audit_verify
from zhenwu.demo.services import build_county, demo_reset
from zhenwu.enforcement import selectors
from zhenwu.enforcement.models import DecisionPublication, Officer, PenaltyCase

pytestmark = pytest.mark.django_db(transaction=False)
SCALE = 0.02


@pytest.fixture
def small_demo(demo_settings):
    return build_county(seed=1, scale=SCALE)


def test_the_town_has_certified_officers_and_a_year_of_penalty_cases(small_demo):
    officer = User.objects.get(username="officer")
    legal = User.objects.get(username="legal")
    assert Officer.objects.filter(user__in=[officer, legal]).count() == 2
    states = Counter(Officer.objects.values_list("certificate_valid_until", flat=True))
    assert len(states) >= 3  # valid, lapsed and ending soon
    rows = list(selectors.case_list(user=officer))
    procedures = Counter(r.procedure for r in rows)
    assert len(rows) >= 12 and procedures["summary"] > procedures["general"] >= 3
    statuses = Counter(r.case.status for r in rows if r.procedure == "general")
    assert statuses["closed"] >= 1
    assert any(r.hearing_held for r in rows)
    for r in rows:
        assert r.investigators.count() == (1 if r.procedure == "summary" else 2)
        if r.decided_on:
            assert r.decision_number.startswith(r.case.number)
    _count, problems = audit_verify()
    assert problems == []
    client = Client()
    client.force_login(officer)
    page = client.get("/enforcement/cases/").content.decode()
    assert rows[0].case.number in page
    # 行政处罚决定公开: every general decision published by the leader within its 7 working days, on the public page
    decided = [r for r in rows if r.procedure == "general" and r.decided_on]
    published = DecisionPublication.objects.filter(status="published")
    assert decided and published.count() == len(decided)
    for p in published:
        assert p.published_at is not None and p.published_at.date() <= p.due_on
        assert p.published_by is not None and p.published_by.username == "leader"
    public = Client().get("/public/enforcement/decisions/").content.decode()
    assert decided[0].decision_number in public


def test_a_second_build_keeps_the_cases_and_a_reset_removes_them(small_demo, demo_settings):
    before = set(Case.objects.filter(kind="ZF").values_list("number", flat=True))
    build_county(seed=1, scale=SCALE)
    assert set(Case.objects.filter(kind="ZF").values_list("number", flat=True)) == before
    demo_reset()
    assert not PenaltyCase.objects.exists() and not Case.objects.filter(kind="ZF").exists()
    assert not DecisionPublication.objects.exists()
