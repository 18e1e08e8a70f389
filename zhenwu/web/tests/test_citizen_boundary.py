"""Citizens never reach staff pages or the admin (404), even if they somehow had is_staff."""

from django.test import Client

from zhenwu.testing import Personas


def test_it_hides_staff_pages_and_the_admin_from_citizens(client: Client, personas: Personas) -> None:
    client.force_login(personas.citizen)
    for url in ("/areas/map/", "/admin/", "/admin/accounts/user/", "/admin/login/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/accounts/tokens/").status_code == 200


def test_it_hides_the_admin_from_a_citizen_marked_as_staff(client: Client, personas: Personas) -> None:
    personas.citizen.is_staff = personas.citizen.is_superuser = True
    personas.citizen.save()
    client.force_login(personas.citizen)
    assert client.get("/admin/").status_code == 404


def test_it_lets_staff_through(client: Client, personas: Personas) -> None:
    client.force_login(personas.admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/accounts/loginattempt/").status_code == 200
