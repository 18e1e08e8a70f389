"""The demo's 社会救助 on a small town: household files of every status with grants and payment lists,
applications at successive steps, early warnings from imported settlements (one visited, an application
opened), a 福村宝 year per village; the ``civil`` login's pages show them, the audit chains verify, a second
build keeps them and a reset removes them."""

from __future__ import annotations

from collections import Counter

import pytest
from django.test import Client
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.assistance.models import AssistanceApplication, AssistanceFile, Expenditure, Need
from zhenwu.assistance.models.grants import Grant
from zhenwu.assistance.models.mutual_aid import Claim, MutualAidYear
from zhenwu.assistance.models.payments import PaymentList
from zhenwu.assistance.models.warnings import EarlyWarning
from zhenwu.casework.models import Case
from zhenwu.casework.services import audit_verify
from zhenwu.demo.services import build_county, demo_reset

pytestmark = pytest.mark.django_db(transaction=False)
SCALE = 0.02


@pytest.fixture
def small_demo(demo_settings):
    return build_county(seed=1, scale=SCALE)


def _counts() -> dict[str, int]:
    return {"files": AssistanceFile.objects.count(), "applications": AssistanceApplication.objects.count(),
            "warnings": EarlyWarning.objects.count(), "grants": Grant.objects.count(),
            "years": MutualAidYear.objects.count(), "claims": Claim.objects.count()}


def test_the_town_has_assistance_files_applications_warnings_and_mutual_aid(small_demo):
    statuses = Counter(AssistanceFile.objects.values_list("status", flat=True))
    assert sum(statuses.values()) >= 36
    assert statuses["dibao"] > statuses["tekun"] >= 1 and statuses["edge"] >= 1 and statuses["expenditure"] >= 1
    villages = {code[:12] for code in AssistanceFile.objects.exclude(status="none").values_list("area_code", flat=True)}
    assert len(villages) >= 3
    assert Expenditure.objects.exclude(evidence=None).count() >= 3
    assert Need.objects.filter(status="matched").exists()
    assert Grant.objects.filter(file__status__in=["dibao", "tekun"]).count() == statuses["dibao"] + statuses["tekun"]
    assert PaymentList.objects.filter(status="draft", total__gt=0).count() >= 3  # this month's
    months = {m.month for m in PaymentList.objects.filter(status="approved").values_list("month", flat=True)}
    assert months == set(range(1, timezone.localdate().month))  # a year of payments: every month before approved

    steps = Counter(AssistanceApplication.objects.values_list("case__status", flat=True))
    assert {"submitted", "checking", "surveying", "appraisal", "publicity"} <= set(steps)
    assert any(a.survey_photos for a in AssistanceApplication.objects.all())
    warnings = EarlyWarning.objects.all()
    assert warnings.count() >= 4
    assert len({w.created_at.date().replace(day=1) for w in warnings}) >= 3  # over the year, not on one day
    outcomes = Counter(warnings.values_list("outcome", flat=True))
    assert outcomes["application_opened"] == 1 and outcomes["no_need"] + outcomes["referred"] >= 2
    assert warnings.filter(state="open").exists()  # this month's, waiting for a visit
    opened = warnings.get(outcome="application_opened")
    assert AssistanceApplication.objects.filter(case__number=opened.application_number, kind="temporary").exists()

    years = MutualAidYear.objects.all()
    assert years.count() >= 3
    for year in years:
        assert year.groups.count() == 2 and 15 <= year.enrolments.count() <= 20
        assert set(year.fund_entries.values_list("source", flat=True)) == {"village", "donation"}
        assert Counter(year.claims.values_list("status", flat=True)) == {"paid": 2, "filed": 1}

    _count, problems = audit_verify()
    assert problems == []

    client = Client()
    client.force_login(User.objects.get(username="civil"))
    number = AssistanceApplication.objects.filter(case__status="publicity").get().case.number
    file = AssistanceFile.objects.filter(status="dibao").order_by("pk")[0]
    warning = EarlyWarning.objects.filter(state="open").order_by("pk")[0]
    for url, shown in (("/assistance/", file.household.number),
                       (f"/assistance/files/{file.pk}/", file.household.number),
                       ("/assistance/applications/", number),
                       (f"/assistance/applications/{number}/", number),
                       ("/assistance/warnings/", warning.case.number),
                       (f"/assistance/warnings/{warning.case.number}/", warning.case.number),
                       ("/assistance/payments/", ""),
                       ("/assistance/mutual-aid/", "")):
        page = client.get(url)
        assert page.status_code == 200, url
        assert shown in page.content.decode(), url


def test_a_second_build_keeps_the_data_and_a_reset_removes_it(small_demo, demo_settings):
    before = _counts()
    numbers = set(Case.objects.filter(kind__in=["JZ", "YJ"]).values_list("number", flat=True))
    build_county(seed=1, scale=SCALE)
    assert _counts() == before
    assert set(Case.objects.filter(kind__in=["JZ", "YJ"]).values_list("number", flat=True)) == numbers
    demo_reset()
    assert set(_counts().values()) == {0}
    assert not Case.objects.filter(kind__in=["JZ", "YJ"]).exists()
    _count, problems = audit_verify()
    assert problems == []
