import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenwu.casework.models import AuditEntry, CalendarYear


@pytest.mark.django_db
def test_the_admin_imports_a_calendar_csv(client, personas):
    client.force_login(personas.admin)
    csv = "date,kind,name\n2027-01-01,holiday,元旦\n".encode()
    resp = client.post("/admin/casework/calendaryear/import/",
                       {"file": SimpleUploadedFile("2027.csv", csv, "text/csv")})
    assert resp.status_code == 302 and CalendarYear.objects.filter(year=2027).exists()
    bad = client.post("/admin/casework/calendaryear/import/",
                      {"file": SimpleUploadedFile("2028.csv", b"date,kind,name\n2028-01-01,x,y\n")})
    assert bad.status_code == 200 and not CalendarYear.objects.filter(year=2028).exists()


@pytest.mark.django_db
def test_audit_entries_cannot_be_deleted_in_the_admin(client, personas, make_case):
    make_case()
    client.force_login(personas.admin)
    entry = AuditEntry.objects.get()
    assert client.get("/admin/casework/auditentry/").status_code == 200
    assert client.post(f"/admin/casework/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_an_invalid_process_definition_is_refused_on_save(client, personas):
    client.force_login(personas.admin)
    resp = client.post("/admin/casework/processdefinitionrecord/add/",
                       {"key": "short", "definition": '{"states": [{"key": "a"}], "actions": []}',
                        "is_active": "on"})
    assert resp.status_code == 200 and "流程必须恰有一个起始状态" in resp.content.decode()
