"""Scope: village staff see only their village's proxy applications; a citizen only their own."""

import pytest

from zhenwu.accounts.choices import Role
from zhenwu.errors import NotFound
from zhenwu.services import selectors
from zhenwu.services.services import application_withdraw
from zhenwu.services.tests.factories import online_app, proxy_app, window_app
from zhenwu.testing import make_staff

pytestmark = pytest.mark.django_db


def test_village_staff_see_only_their_villages_proxy_applications(hall, item):
    mine, theirs, window = proxy_app(hall), proxy_app(hall, staff=hall.village_b), window_app(hall)
    seen = set(selectors.application_list(user=hall.village_a).values_list("pk", flat=True))
    assert seen == {mine.pk}
    with pytest.raises(NotFound):
        selectors.application_get(user=hall.village_a, number=theirs.case.number)
    assert {mine.pk, theirs.pk, window.pk} <= set(
        selectors.application_list(user=hall.clerk).values_list("pk", flat=True))


def test_a_citizen_sees_only_their_own_applications(hall, item):
    mine, other = online_app(hall), online_app(hall, actor=hall.citizen2)
    assert list(selectors.application_list(user=hall.citizen)) == [mine]
    with pytest.raises(NotFound):
        selectors.application_get(user=hall.citizen, number=other.case.number)
    with pytest.raises(NotFound):
        application_withdraw(actor=hall.citizen, application=other)


def test_queues_filters_and_search(hall, item):
    app = window_app(hall)
    online_app(hall)
    assert selectors.application_counts(user=hall.clerk)["queues"]["accept"] == 2
    assert list(selectors.application_list(user=hall.clerk, channel="window")) == [app]
    assert list(selectors.application_list(user=hall.clerk, q="王")) == [app]
    assert list(selectors.application_list(user=hall.clerk, q=app.case.number)) == [app]
    assert selectors.application_list(user=hall.clerk, q="13512342210").count() == 2


def test_a_grid_worker_sees_no_applications(hall, item, town):
    window_app(hall)
    worker = make_staff("gw", roles=[Role.GRID_WORKER], scope=town.town)
    assert not selectors.application_list(user=worker).exists()


def test_the_actions_offered_match_the_user(hall, item):
    app = window_app(hall)
    assert selectors.application_actions(user=hall.clerk, application=app) == [
        "accept", "reassign", "reject", "request_supplement", "withdraw"]
    assert selectors.application_actions(user=hall.reviewer, application=app) == ["request_supplement"]
