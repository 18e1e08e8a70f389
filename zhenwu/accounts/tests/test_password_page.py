"""Every user changes their own password; the home page asks when it was set by someone else (issue 7.12)."""

from __future__ import annotations

import pytest
from django.test import Client

from zhenwu.accounts.models import LoginAttempt
from zhenwu.testing import PASSWORD

NEW = "Qinghe#2027x"


def change(client: Client, old: str = PASSWORD, new: str = NEW, again: str | None = None):
    return client.post("/accounts/password/", {"old_password": old, "new_password": new,
                                               "new_password_again": again or new})


@pytest.mark.parametrize("who", ["town_staff", "grid_worker_a", "citizen"])
def test_every_kind_of_user_changes_their_password(client, personas, who):
    user = getattr(personas, who)
    client.force_login(user)
    assert client.get("/accounts/password/").status_code == 200
    assert change(client).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW) and user.password_changed_at is not None
    assert client.get("/").status_code == 200  # still logged in after the change


def test_a_wrong_current_password_is_refused_and_counted(client, personas):
    client.force_login(personas.town_staff)
    page = change(client, old="Wrong#pass1")
    assert page.status_code == 400 and page.context["form"].errors["old_password"]
    assert LoginAttempt.objects.get(username="clerk").reason == "bad_credentials"


def test_a_weak_or_mistyped_new_password_is_refused(client, personas):
    client.force_login(personas.town_staff)
    assert change(client, new="abc").context["form"].errors["new_password"]
    assert change(client, again="Other#2027x").context["form"].errors["new_password_again"]


def test_an_sms_only_citizen_sets_a_first_password_without_an_old_one(client, personas):
    personas.citizen.set_unusable_password()
    personas.citizen.save()
    client.force_login(personas.citizen)
    page = client.get("/accounts/password/").content.decode()
    assert 'name="old_password"' not in page
    assert client.post("/accounts/password/", {"new_password": NEW, "new_password_again": NEW}).status_code == 302


def test_the_home_page_asks_until_the_owner_chooses_a_password(client, personas):
    client.force_login(personas.town_staff)  # created with a password set for them
    assert "password-notice" in client.get("/").content.decode()
    change(client)
    assert "password-notice" not in client.get("/").content.decode()


def test_a_password_reset_by_an_administrator_is_due_again(personas):
    from zhenwu.accounts.services import password_change, password_change_due

    user = password_change(user=personas.town_staff, old_password=PASSWORD, new_password=NEW)
    assert not password_change_due(user)
    user.set_password("Admin#Set2027")
    user.save()
    assert password_change_due(user)
