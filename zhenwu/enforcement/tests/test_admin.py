"""The admin lists the power list (read-only), squads and officers."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.parametrize("model", ["penaltypower", "penaltypowerversion", "inspectionitem", "squad", "officer"])
def test_the_admin_lists_open(team, personas, model):
    client = Client()
    client.force_login(personas.admin)
    assert client.get(f"/admin/enforcement/{model}/").status_code == 200


def test_the_power_list_is_not_edited_in_the_admin(team, personas):
    client = Client()
    client.force_login(personas.admin)
    assert client.get("/admin/enforcement/penaltypower/add/").status_code == 403
