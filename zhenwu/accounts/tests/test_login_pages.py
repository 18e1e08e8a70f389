"""The login page: form fields, lockout through the page and the admin, demo accounts in demo mode."""

from django.test import Client, override_settings

from zhenwu.accounts.demo import demo_logins_save
from zhenwu.accounts.models import LoginAttempt
from zhenwu.testing import PASSWORD, Personas


def test_it_logs_in_with_username_and_password(client: Client, personas: Personas) -> None:
    response = client.post("/login/", {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert LoginAttempt.objects.get(username="clerk").success


def test_it_lets_a_citizen_type_the_mobile_number(client: Client, personas: Personas) -> None:
    response = client.post("/login/", {"username": "13512342210", "password": PASSWORD})
    assert response.status_code == 302


def test_it_reshows_the_form_with_the_lock_and_until_when(client: Client, personas: Personas) -> None:
    for _ in range(5):
        client.post("/login/", {"username": "clerk", "password": "bad-Pass1"})
    response = client.post("/login/", {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 400
    assert "锁定" in response.content.decode() or "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_sends_the_admin_login_through_the_same_page(client: Client, personas: Personas) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/admin/")


def test_it_lists_demo_accounts_only_in_demo_mode(client: Client, db: None, tmp_path: object) -> None:
    with override_settings(DATA_DIR=tmp_path):
        demo_logins_save([{"username": "demo_clerk", "password": "Demo#2026", "role": "window_clerk",
                           "role_label": "综窗受理员", "scope": "测试镇", "mobile": "13610200001"}])
        with override_settings(DEMO_MODE=False):
            page = client.get("/login/").content.decode()
            assert "demo_clerk" not in page and "13610200001" not in page
        with override_settings(DEMO_MODE=True):
            page = client.get("/login/").content.decode()
    assert "demo_clerk" in page and "Demo#2026" in page and "综窗受理员" in page
    assert "13610200001" in page  # the SMS login asks for the mobile


def test_it_renders_the_login_page_without_a_demo_file(client: Client, db: None, tmp_path: object) -> None:
    with override_settings(DATA_DIR=tmp_path, DEMO_MODE=True):
        assert client.get("/login/").status_code == 200
