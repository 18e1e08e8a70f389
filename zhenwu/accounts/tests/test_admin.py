"""Admin: users with roles inline, tokens revocable but secret-free, the login log read-only."""

from django.test import Client

from zhenwu.accounts.models import ApiToken, LoginAttempt
from zhenwu.accounts.services import password_login, token_create
from zhenwu.testing import PASSWORD, Personas


def test_it_edits_a_user_with_roles_inline(client: Client, personas: Personas) -> None:
    client.force_login(personas.admin)
    page = client.get(f"/admin/accounts/user/{personas.town_staff.pk}/change/")
    assert page.status_code == 200 and "role_assignments-TOTAL_FORMS" in page.content.decode()
    assert client.get("/admin/accounts/user/?kind__exact=citizen").status_code == 200
    assert client.get("/admin/accounts/department/add/").status_code == 200


def test_it_revokes_tokens_without_showing_secrets(client: Client, personas: Personas) -> None:
    row, secret = token_create(user=personas.grid_worker_a, device="phone")
    client.force_login(personas.admin)
    listing = client.get("/admin/accounts/apitoken/").content.decode()
    assert secret not in listing and row.secret_hash not in listing
    client.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.revoked_at is not None


def test_it_keeps_the_login_log_read_only(client: Client, personas: Personas) -> None:
    password_login(request=None, username="clerk", password=PASSWORD)
    attempt = LoginAttempt.objects.get()
    client.force_login(personas.admin)
    assert client.get("/admin/accounts/loginattempt/").status_code == 200
    deleted = client.post(f"/admin/accounts/loginattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    assert LoginAttempt.objects.count() == 1 and ApiToken.objects.count() == 0


def test_the_admin_greets_the_administrator_by_name_not_login(client: Client, personas: Personas) -> None:
    personas.admin.full_name = "周敏"
    personas.admin.save(update_fields=["full_name"])
    client.force_login(personas.admin)
    page = client.get("/admin/").content.decode()
    assert "<strong>周敏</strong>" in page and f"<strong>{personas.admin.username}</strong>" not in page
