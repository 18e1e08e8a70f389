"""A lost race is 409, never 403: the handler check must not run on a case someone else has moved."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from zhenwu.accounts.choices import Role
from zhenwu.casework.models import AuditEntry
from zhenwu.errors import Conflict, FieldError
from zhenwu.services.models import Application
from zhenwu.services.services import application_accept, application_decide
from zhenwu.services.tests.factories import make_item, window_app
from zhenwu.testing import make_staff


def _at_approval(hall: Any) -> Application:
    make_item(chain=["approval"])
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)
    assert app.case.status == "approval"
    return app


@pytest.mark.django_db
def test_it_answers_409_to_the_second_of_two_leaders(hall: Any, town: Any) -> None:
    app = _at_approval(hall)
    other = make_staff("lead2", roles=[Role.LEADER], scope=town.town)
    load = Application.objects.select_related("case__handler")
    first, second = load.get(pk=app.pk), load.get(pk=app.pk)
    application_decide(actor=hall.leader, application=first, approve=True)
    # The first decision handed the case to the accepting clerk (综窗出件); the second leader's stale
    # copy must lose on the state, not on that new handler.
    with pytest.raises(Conflict):
        application_decide(actor=other, application=second, approve=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_one_of_30_concurrent_leaders_win_and_answers_409_to_the_rest(hall: Any, town: Any) -> None:
    app = _at_approval(hall)
    n = 30
    leaders = [make_staff(f"lead_{i}", roles=[Role.LEADER], scope=town.town) for i in range(n)]
    barrier = threading.Barrier(n)
    outcomes: list[Any] = []

    def approve(leader: Any) -> None:
        try:
            stale = Application.objects.select_related("case__handler").get(pk=app.pk)
            barrier.wait()
            application_decide(actor=leader, application=stale, approve=True)
            outcomes.append(200)
        except FieldError as exc:
            outcomes.append(exc.status)
        except BaseException as exc:  # reported below
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(leader,)) for leader in leaders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=str) == [200] + [409] * (n - 1)
    assert AuditEntry.objects.filter(subject=app.case.number, action="approve").count() == 1


@pytest.mark.django_db
def test_the_case_page_answers_409_to_a_leader_whose_form_is_stale(hall: Any, town: Any) -> None:
    from django.test import Client

    from zhenwu.testing import PASSWORD

    app = _at_approval(hall)
    other = make_staff("lead2", roles=[Role.LEADER], scope=town.town)
    seen = app.case.version
    application_decide(actor=hall.leader, application=Application.objects.get(pk=app.pk), approve=True)
    client = Client()
    client.login(username=other.username, password=PASSWORD)
    r = client.post(f"/services/applications/{app.case.number}/act/decide/", {"version": seen, "approve": "1"})
    assert r.status_code == 409
