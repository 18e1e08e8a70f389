"""Seeds the database of a live test server (run in a subprocess by tests/live.py) and prints its handles.

The test town, its personas, one object of every registry kind, a service item with an online
application, and API tokens for an administrator, a town clerk and a citizen. Prints one JSON line.
"""

from __future__ import annotations

import json
import os

import django


def seed() -> dict[str, object]:
    from zhenwu.accounts.services import token_create
    from zhenwu.registry.tests import factories as reg
    from zhenwu.services.services import application_submit
    from zhenwu.services.tests.factories import all_materials, make_item
    from zhenwu.testing import build_personas, build_test_town

    town = build_test_town()
    people = build_personas(town)
    make_item()
    app = application_submit(actor=people.citizen, item_code="320000-MZ-0001", channel="online",
                             materials=all_materials(files_by=people.citizen))
    household = reg.household(town.grid_a)
    resident = reg.resident(town.grid_a, household=household)
    enterprise = reg.enterprise(town.grid_a)
    tokens = {name: token_create(user=getattr(people, name), device="live test")[1]
              for name in ("admin", "town_staff", "citizen")}
    return {"tokens": tokens, "application": app.case.number, "resident": resident.pk,
            "household": household.pk, "enterprise": enterprise.pk, "place": reg.place(town.grid_a).pk}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenwu.settings")
    django.setup()
    print(json.dumps(seed()))
