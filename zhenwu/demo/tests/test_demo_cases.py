"""The demo's eight months of 办件 at small scale: counts, numbers, counters, audit chains, determinism."""

import datetime as dt

import pytest
from django.utils import timezone

from zhenwu.casework.models import AuditEntry, Case, CaseCounter
from zhenwu.casework.services import audit_verify, case_number_allocate
from zhenwu.demo.cases import RECTIFY_RECENT_DAYS, cases_generate, cases_wipe
from zhenwu.services.models import Application, Rating, RectificationTask
from zhenwu.services.tests.factories import build_hall
from zhenwu.testing import TOWN

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 2, 10))


@pytest.fixture
def hall(town):
    return build_hall(town)


def snapshot():
    return list(Application.objects.order_by("case__number").values_list(
        "case__number", "case__status", "channel", "applicant_name", "item_version__item__code", "decided_at"))


def test_it_writes_the_cases_with_unique_numbers_and_a_valid_audit_chain(hall):
    assert cases_generate(town_code=TOWN, seed=3, count=300, now=NOW) == 300
    assert Case.objects.filter(kind="SQ").count() == Application.objects.count() == 300
    assert Case.objects.filter(kind="SQ").values("number").distinct().count() == 300
    count, problems = audit_verify()
    assert problems == [] and count == AuditEntry.objects.count() > 300
    assert 100 < Rating.objects.count() < 300


def test_the_mix_has_channels_outcomes_and_running_overdue_cases(hall):
    cases_generate(town_code=TOWN, seed=3, count=6000, now=NOW)  # ~3% of the ~100 in progress are red
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"delivered", "rejected", "withdrawn"} <= statuses
    assert set(Application.objects.values_list("channel", flat=True)) >= {"window", "online", "proxy"}
    assert Case.objects.filter(light="red", deadline_stopped_at__isnull=True).exists()
    assert Application.objects.filter(decided_at__isnull=True, case__status__in=["first_review", "accepted",
                                                                                 "approval", "second_review"]).exists()
    # 差评整改: each bad rating of the last 30 days has its open task (and case, kind ZG); older ones none
    recent = Rating.objects.filter(level__lte=2, created_at__gte=NOW - dt.timedelta(days=RECTIFY_RECENT_DAYS))
    assert recent.exists() and Rating.objects.filter(level__lte=2).count() > recent.count()
    tasks = RectificationTask.objects.all()
    assert set(tasks.values_list("rating_id", flat=True)) == set(recent.values_list("pk", flat=True))
    assert set(RectificationTask.objects.values_list("case__kind", "case__status")) == {("ZG", "open")}
    cases_wipe(TOWN)
    assert not Case.objects.exists() and not RectificationTask.objects.exists()


def test_live_numbering_continues_after_the_generated_counters(hall):
    cases_generate(town_code=TOWN, seed=3, count=300, now=NOW)
    counter = CaseCounter.objects.filter(kind="SQ", town_code=TOWN).order_by("-last")[0]
    last = Case.objects.filter(number__startswith=f"SQ-{TOWN}-{counter.day:%Y%m%d}-").count()
    assert counter.last == last
    fresh = case_number_allocate(kind="SQ", town_code=TOWN, day=counter.day)
    assert fresh == f"SQ-{TOWN}-{counter.day:%Y%m%d}-{last + 1:04d}"


def test_it_is_deterministic_per_seed_and_kept_on_a_second_run(hall):
    cases_generate(town_code=TOWN, seed=3, count=200, now=NOW)
    first = snapshot()
    assert cases_generate(town_code=TOWN, seed=3, count=200, now=NOW) == 0
    cases_wipe(TOWN)
    assert Case.objects.count() == 0 and AuditEntry.objects.filter(subject__startswith="SQ-").count() == 0
    cases_generate(town_code=TOWN, seed=3, count=200, now=NOW)
    assert snapshot() == first
    cases_wipe(TOWN)
    cases_generate(town_code=TOWN, seed=4, count=200, now=NOW)
    assert snapshot() != first
