"""The trend per filing day reads the daily summary for a town and the applications for a village:
both give the same figures."""

import datetime as dt

import pytest

from zhenwu.services import charts
from zhenwu.services.models import Application
from zhenwu.services.tests.factories import build_hall, make_item
from zhenwu.services.tests.supervision_factories import march_set
from zhenwu.testing import TOWN

pytestmark = pytest.mark.django_db


def test_the_summary_and_the_applications_agree_day_by_day(town, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_item()
    march_set(build_hall(town))
    start, end = dt.date(2026, 3, 1), dt.date(2026, 4, 30)
    live = charts.daily_live(Application.objects.all(), start, end)
    assert live == charts.daily_summary(TOWN, start, end)
    assert live[dt.date(2026, 3, 2)] == (2, 2) and live[dt.date(2026, 3, 20)] == (1, 0)
