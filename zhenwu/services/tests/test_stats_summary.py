"""The daily summary kept by the services gives exactly the figures of grouping the applications live,
and a rebuild reproduces it."""

import pytest

from zhenwu.casework.models import CaseFilingStat
from zhenwu.services.services import (
    application_accept,
    application_deliver,
    application_reject,
    application_review,
    rating_by_link,
)
from zhenwu.services.services.ratings import rating_link_token
from zhenwu.services.stats import stats_rebuild
from zhenwu.services.supervision import _from_summary, _live_by_version, period_clean
from zhenwu.services.tests.factories import make_item, online_app, window_app
from zhenwu.services.tests.supervision_factories import supervisor
from zhenwu.testing import TOWN

pytestmark = pytest.mark.django_db


def figures(rows):
    return {key: (r.cases, r.finished, r.on_time, r.promised_days, r.used_days, r.ratings) for key, r in rows.items()}


def run_a_day_of_the_hall(hall, town):
    done = window_app(hall)
    application_accept(actor=hall.clerk, application=done)
    application_review(actor=hall.reviewer, application=done, step="first_review", opinion="齐全", approve=True)
    application_review(actor=hall.leader, application=done, step="approval", opinion="同意", approve=True)
    application_deliver(actor=hall.clerk, application=done, mode="window", signature="王芳")
    rating_by_link(token=rating_link_token(done), level=2)
    refused = window_app(hall)
    application_reject(actor=hall.clerk, application=refused, reason="不属于本镇受理范围")
    online_app(hall)  # still waiting for the pre-check
    make_item("320000-GA-0002", name="临时身份证", promised_limit_days=0, legal_limit_days=0, chain=[])
    quick = window_app(hall, code="320000-GA-0002")
    application_accept(actor=hall.clerk, application=quick)


def test_the_summary_matches_the_live_figures_after_real_actions(hall, item, town, clock):
    run_a_day_of_the_hall(hall, town)
    period = period_clean(date_from="2025-09-01", date_to="2025-10-31")
    live = figures(_live_by_version(supervisor(town), period))
    assert live and figures(_from_summary(TOWN, period)) == live
    assert sum(r[0] for r in live.values()) == 4


def test_a_rebuild_reproduces_the_kept_rows(hall, item, town, clock):
    run_a_day_of_the_hall(hall, town)
    kept = sorted(CaseFilingStat.objects.values_list("day", "kind", "facet", "channel", "cases", "finished",
                                                         "on_time", "promised_days", "used_raw", "r2"))
    stats_rebuild()
    assert sorted(CaseFilingStat.objects.values_list("day", "kind", "facet", "channel", "cases", "finished",
                                                         "on_time", "promised_days", "used_raw", "r2")) == kept
