"""The demo hall looks like a well-run township hall in the platform's own figures (电子监察, lights)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.demo import demand
from zhenwu.demo.cases import window
from zhenwu.services import supervision
from zhenwu.services.catalogue_data import CATALOGUE

COMMON = {"城乡居民基本医疗保险参保登记", "城乡居民基本医疗保险费缴纳", "社会保障卡申领", "领取养老金人员资格认证",
          "城乡居民养老保险参保登记", "异地就医备案", "生育登记", "户籍证明开具"}


DEMO_SCALE = "0.3"  # 6,000 applications, built once for the module (conftest.demo_built)
pytestmark = pytest.mark.xdist_group("demo_built_figures")


@pytest.fixture
def supervisor(demo_built: object) -> User:
    return User.objects.get(username="supervisor")


@pytest.mark.django_db
def test_the_data_reaches_today_so_the_default_month_is_not_empty(supervisor):
    latest = supervision.latest_filing_day(user=supervisor)
    assert latest == timezone.localdate()
    month = supervision.stats_total(supervision.supervision_stats(
        user=supervisor, period=supervision.period_clean(latest=latest)))
    assert month.cases > 0


@pytest.mark.django_db
def test_it_is_on_time_like_a_well_run_hall(supervisor):
    first, last = window(timezone.now())
    total = supervision.stats_total(supervision.supervision_stats(
        user=supervisor, period=supervision.Period(first, last)))
    assert total.cases == 6000
    assert total.on_time_rate is not None and 0.95 <= total.on_time_rate < 1


@pytest.mark.django_db
def test_few_cases_in_progress_are_red(supervisor):
    lights = supervision.light_counts(user=supervisor)
    in_progress = lights["green"] + lights["yellow"] + lights["red"]
    assert in_progress > 50 and lights["green"] > lights["yellow"]
    assert lights["red"] / in_progress <= 0.06


@pytest.mark.django_db
def test_the_top_items_are_the_common_ones(supervisor):
    first, last = window(timezone.now())
    rows = supervision.supervision_stats(user=supervisor, period=supervision.Period(first, last))
    assert rows[0].label in COMMON
    assert "砍伐、迁移城市树木审批" not in [r.label for r in rows[:30]]


def test_every_weighted_item_is_in_the_catalogue():
    assert set(demand.WEIGHTS) <= {item["name"] for item in CATALOGUE}
