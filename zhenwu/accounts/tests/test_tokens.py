"""API tokens: created once with the secret, hashed at rest, listed, revoked → 401; /me with a token."""

from django.test import Client

from zhenwu.accounts.models import ApiToken, LoginAttempt
from zhenwu.accounts.services import token_create
from zhenwu.accounts.tokens import authenticate_token, token_hash
from zhenwu.testing import Personas


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_it_shows_the_secret_once_and_keeps_only_its_hash(client: Client, personas: Personas) -> None:
    client.force_login(personas.town_staff)
    created = client.post("/api/v1/accounts/tokens", {"device": "office PC"}, content_type="application/json")
    assert created.status_code == 201
    secret = created.json()["token"]
    row = ApiToken.objects.get()
    assert row.secret_hash == token_hash(secret) and secret not in row.secret_hash
    listed = client.get("/api/v1/accounts/tokens").json()
    assert [t["device"] for t in listed] == ["office PC"] and "token" not in listed[0]


def test_it_answers_me_with_a_token(client: Client, personas: Personas) -> None:
    _row, secret = token_create(user=personas.grid_worker_a, device="phone")
    me = Client().get("/api/v1/accounts/me", headers=bearer(secret))
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "gw_a" and body["roles"] == ["grid_worker"]
    assert body["scope_area"]["code"] == "321181102201001001"
    assert ApiToken.objects.get().last_used_at is not None


def test_it_answers_401_once_the_token_is_revoked(client: Client, personas: Personas) -> None:
    row, secret = token_create(user=personas.grid_worker_a, device="phone")
    api = Client(enforce_csrf_checks=True)  # as a phone: no cookie, no CSRF token
    assert api.delete(f"/api/v1/accounts/tokens/{row.pk}", headers=bearer(secret)).status_code == 204
    assert api.get("/api/v1/accounts/me", headers=bearer(secret)).status_code == 401
    assert authenticate_token(secret) is None
    assert LoginAttempt.objects.filter(method="token", success=False).exists()


def test_it_rejects_a_forged_secret_with_a_known_prefix(personas: Personas) -> None:
    _row, secret = token_create(user=personas.grid_worker_a, device="phone")
    assert authenticate_token(secret[:-4] + "AAAA") is None
    assert Client().get("/api/v1/accounts/me", headers=bearer("zw_nope_nope")).status_code == 401


def test_it_answers_404_for_someone_elses_token(client: Client, personas: Personas) -> None:
    row, _secret = token_create(user=personas.grid_worker_b, device="phone")
    client.force_login(personas.grid_worker_a)
    assert client.delete(f"/api/v1/accounts/tokens/{row.pk}").status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_it_creates_and_revokes_on_the_tokens_page(client: Client, personas: Personas) -> None:
    client.force_login(personas.town_staff)
    page = client.post("/accounts/tokens/", {"device": "kiosk 3"})
    row = ApiToken.objects.get()
    assert page.status_code == 201 and f"zw_{row.prefix}_" in page.content.decode()
    assert f"zw_{row.prefix}_" not in client.get("/accounts/tokens/").content.decode()
    client.post(f"/accounts/tokens/{row.pk}/revoke/")
    row.refresh_from_db()
    assert row.revoked_at is not None
