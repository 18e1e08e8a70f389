"""The kernel's summary by filing day: counters add up per key, each kind reads only its own rows, and a
pillar's rebuild replaces only its kind's rows under its towns."""

import datetime as dt

import pytest

from zhenwu.casework.filing_stats import (
    filing_stat_add,
    filing_stat_daily,
    filing_stat_replace,
    filing_stat_sums,
)
from zhenwu.casework.models import CaseFilingStat

pytestmark = pytest.mark.django_db
TOWN, OTHER = "321181102", "321181103"
DAY = dt.date(2026, 3, 2)


def add(kind="AA", town=TOWN, day=DAY, facet="1", channel="window", **deltas):
    filing_stat_add(kind=kind, town_code=town, day=day, facet=facet, channel=channel, deltas=deltas)


def test_counters_add_up_on_one_row_per_key():
    add(cases=1)
    add(cases=1)
    add(finished=1, on_time=1, promised_days=5, used_raw=3)
    add(r4=1)
    add(facet="2", cases=1)
    assert CaseFilingStat.objects.count() == 2
    sums = {r["facet"]: r for r in filing_stat_sums(kind="AA", town_prefix=TOWN, start=DAY, end=DAY)}
    assert (sums["1"]["s_cases"], sums["1"]["s_finished"], sums["1"]["s_on_time"], sums["1"]["s_promised_days"],
            sums["1"]["s_used_raw"], sums["1"]["s_r4"], sums["1"]["s_r5"]) == (2, 1, 1, 5, 3, 1, 0)
    assert sums["2"]["s_cases"] == 1


def test_each_kind_reads_its_own_rows_and_a_rebuild_keeps_the_others():
    add(kind="AA", cases=2, finished=1)
    add(kind="BB", cases=5)
    add(kind="AA", town=OTHER, cases=9)
    assert filing_stat_daily(kind="AA", town_prefix=TOWN, start=DAY, end=DAY) == {DAY: (2, 1)}
    assert filing_stat_daily(kind="BB", town_prefix=TOWN, start=DAY, end=DAY) == {DAY: (5, 0)}
    filing_stat_replace(kind="AA", town_prefix=TOWN, sums={(TOWN, DAY, "3", "online"): {"cases": 4}})
    assert sorted(CaseFilingStat.objects.values_list("kind", "town_code", "facet", "cases")) == [
        ("AA", TOWN, "3", 4), ("AA", OTHER, "1", 9), ("BB", TOWN, "1", 5)]


def test_an_unknown_counter_is_refused():
    with pytest.raises(ValueError):
        add(cases=1, bogus=1)
    assert not CaseFilingStat.objects.exists()
