"""A small hand-built set of applications with known deadlines, decisions and ratings (电子监察 tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.services import area_create
from zhenwu.casework.models import Case
from zhenwu.services.models import Application, Rating
from zhenwu.services.stats import stats_rebuild
from zhenwu.services.tests.factories import Hall, window_app
from zhenwu.testing import TestTown, local, make_staff, square


def supervisor(town: TestTown, username: str = "sup", role: str = Role.SUPERVISOR) -> User:
    return make_staff(username, roles=[role], scope=town.town)


def other_town_supervisor(town: TestTown) -> User:
    other = area_create(code="321181103", name="他镇", level=AreaLevel.TOWN, parent=town.county,
                        geometry=square(119.60, 31.90, 119.70, 32.00))
    return make_staff("sup_other", roles=[Role.SUPERVISOR], scope=other)


def shaped(hall: Hall, *, filed: dt.datetime, due: dt.datetime | None = None, decided: dt.datetime | None = None,
           rating: int | None = None, status: str | None = None, light: str = "", **extra: Any) -> Application:
    """A window application whose dates are set directly (what the actions would have written)."""
    app = window_app(hall, **extra)
    case_values: dict[str, Any] = {"created_at": filed, "deadline_due_at": due, "light": light,
                                   "deadline_unit": "working_days" if due else "", "deadline_limit": 3 if due else None,
                                   "deadline_started_at": filed if due else None,
                                   "deadline_stopped_at": decided, "status": status or ("finished" if decided else
                                                                                       "first_review")}
    Case.objects.filter(pk=app.case_id).update(**case_values)
    Application.objects.filter(pk=app.pk).update(created_at=filed, decided_at=decided,
                                                 result="approved" if decided else "", first_contact=hall.clerk)
    if rating:
        Rating.objects.create(application=app, level=rating, channel="window")
    stats_rebuild()  # the dates were set behind the services' back, as a bulk load would
    app.refresh_from_db()
    app.case.refresh_from_db()
    return app


def march_set(hall: Hall) -> list[Application]:
    """Promised 3 working days. A: due Thu 5 March, decided Wed 4 (2 days used, on time, rated 5);
    B: due 5 March, decided Mon 9 (5 days used, late, rated 1); C: running;
    D: filed Wed 1 April, due Tue 7 (清明 4–6 April), decided Thu 2 (1 day used)."""
    return [
        shaped(hall, filed=local(2026, 3, 2, 9), due=local(2026, 3, 5, 23, 59), decided=local(2026, 3, 4, 10),
               rating=5),
        shaped(hall, filed=local(2026, 3, 2, 9), due=local(2026, 3, 5, 23, 59), decided=local(2026, 3, 9, 10),
               rating=1),
        shaped(hall, filed=local(2026, 3, 20, 9), due=local(2026, 3, 25, 23, 59)),
        shaped(hall, filed=local(2026, 4, 1, 9), due=local(2026, 4, 7, 23, 59), decided=local(2026, 4, 2, 10)),
    ]
