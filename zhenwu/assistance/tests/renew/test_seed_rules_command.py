"""``zhenwu assistance seed-rules``: publishes the seed rule set once, says what it did, refuses bad input."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zhenwu.assistance.models import RuleSet
from zhenwu.testing import TOWN

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("assistance", "seed-rules", *args, stdout=out)
    return out.getvalue()


def test_it_publishes_the_seed_rules_once(town):
    said = run("--town", TOWN, "--effective-from", "2026-01-01")
    assert "version 1" in said and "2026-01-01" in said
    rule_set = RuleSet.objects.get(town_code=TOWN)
    assert (rule_set.version, rule_set.effective_from, rule_set.categories.count()) == (1, dt.date(2026, 1, 1), 5)
    again = run("--town", TOWN, "--effective-from", "2027-01-01")
    assert "exist already" in again and "nothing published" in again
    assert RuleSet.objects.filter(town_code=TOWN).count() == 1


def test_without_a_date_the_rules_start_on_the_first_of_january(town, clock):
    run("--town", TOWN)
    assert RuleSet.objects.get(town_code=TOWN).effective_from == dt.date(2025, 1, 1)  # the clock: 30 September 2025


@pytest.mark.parametrize(("args", "message"), [
    (["--town", "999999999"], "--town: no town"),
    (["--town", "321181"], "--town: no town"),  # the county, not a town
    (["--town", TOWN, "--effective-from", "2026-13-01"], "--effective-from: '2026-13-01' is not a date"),
])
def test_bad_input_is_refused_with_the_option_named(town, args, message):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert message in str(caught.value) and caught.value.returncode == 2
    assert not RuleSet.objects.exists()


def test_a_date_inside_a_rule_period_is_refused(town, settings):
    settings.ASSISTANCE_RULE_PERIOD_MONTHS = 3
    with pytest.raises(CommandError) as caught:
        run("--town", TOWN, "--effective-from", "2026-02-01")
    assert str(caught.value).startswith("--effective-from: Rules take effect on the first day of a period")
    assert not RuleSet.objects.exists()


def test_the_town_option_is_required():
    with pytest.raises(CommandError, match="--town"):
        call_command("assistance", "seed-rules")
