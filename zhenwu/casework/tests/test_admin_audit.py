"""Admin edits of process definitions, calendar days and stand-ins are audited (issue 8), deletes too."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhenwu.casework.models import AuditEntry, CalendarDay, CalendarYear, ProcessDefinitionRecord, StandIn
from zhenwu.casework.process import GENERIC


@pytest.fixture
def admin_client(client, personas, settings):
    settings.ADMIN_TWO_FACTOR = False
    client.force_login(personas.admin)
    return client


def entries(subject):
    return list(AuditEntry.objects.filter(subject=subject).order_by("seq"))


@pytest.mark.django_db
def test_calendar_day_add_change_and_delete_are_audited_with_before_and_after(admin_client, personas):
    CalendarDay.objects.filter(date=dt.date(2027, 10, 8)).delete()
    r = admin_client.post("/admin/casework/calendarday/add/", {"date": "2027-10-08", "kind": "holiday", "name": "国庆"})
    assert r.status_code == 302
    day = CalendarDay.objects.get(date=dt.date(2027, 10, 8))
    admin_client.post(f"/admin/casework/calendarday/{day.pk}/change/",
                      {"date": "2027-10-08", "kind": "workday", "name": "国庆调休"})
    admin_client.post(f"/admin/casework/calendarday/{day.pk}/delete/", {"post": "yes"})
    added, changed, deleted = entries(f"admin.calendarday:{day.pk}")
    assert [added.action, changed.action, deleted.action] == ["admin_add", "admin_change", "admin_delete"]
    assert added.actor_id == personas.admin.pk and added.data["changes"]["date"] == [None, "2027-10-08"]
    assert changed.data["changes"] == {"kind": ["holiday", "workday"], "name": ["国庆", "国庆调休"]}
    assert deleted.data["changes"]["kind"] == ["workday", None]
    assert not CalendarDay.objects.filter(pk=day.pk).exists()


@pytest.mark.django_db
def test_a_bulk_delete_from_the_changelist_audits_every_row(admin_client):
    CalendarDay.objects.filter(date__year=2027, date__month=5).delete()
    days = [CalendarDay.objects.create(date=dt.date(2027, 5, d), kind="holiday", name="劳动节") for d in (1, 2)]
    r = admin_client.post("/admin/casework/calendarday/", {"action": "delete_selected", "post": "yes",
                                                           "_selected_action": [d.pk for d in days]})
    assert r.status_code == 302 and not CalendarDay.objects.filter(date__year=2027, date__month=5).exists()
    assert [entries(f"admin.calendarday:{d.pk}")[0].action for d in days] == ["admin_delete"] * 2


@pytest.mark.django_db
def test_a_process_definition_change_is_audited(admin_client):
    definition = {k: v for k, v in GENERIC.items() if k != "key"}
    record = ProcessDefinitionRecord.objects.create(key="generic", definition=definition)
    edited = json.loads(json.dumps(definition))
    edited["states"][0]["limit"]["value"] = 3
    r = admin_client.post(f"/admin/casework/processdefinitionrecord/{record.pk}/change/",
                          {"key": "generic", "definition": json.dumps(edited), "is_active": "on"})
    assert r.status_code == 302
    [entry] = entries(f"admin.processdefinitionrecord:{record.pk}")
    before, after = entry.data["changes"]["definition"]
    assert before["states"][0]["limit"]["value"] == 5 and after["states"][0]["limit"]["value"] == 3
    assert list(entry.data["changes"]) == ["definition"]


@pytest.mark.django_db
def test_stand_ins_set_and_removed_in_the_admin_are_audited(admin_client, personas):
    now = timezone.localtime()
    r = admin_client.post("/admin/casework/standin/add/", {
        "user": personas.grid_worker_a.pk, "stand_in": personas.town_staff.pk,
        "starts_at_0": f"{now:%Y-%m-%d}", "starts_at_1": "08:00:00",
        "ends_at_0": f"{now + dt.timedelta(days=3):%Y-%m-%d}", "ends_at_1": "18:00:00"})
    assert r.status_code == 302
    stand_in = StandIn.objects.get()
    admin_client.post(f"/admin/casework/standin/{stand_in.pk}/delete/", {"post": "yes"})
    added, deleted = entries(f"admin.standin:{stand_in.pk}")
    assert added.data["changes"]["stand_in_id"] == [None, personas.town_staff.pk]
    assert deleted.action == "admin_delete" and deleted.actor_id == personas.admin.pk


@pytest.mark.django_db
def test_a_calendar_import_in_the_admin_is_audited(admin_client, personas):
    csv = "date,kind,name\n2027-01-01,holiday,元旦\n".encode()
    admin_client.post("/admin/casework/calendaryear/import/", {"file": SimpleUploadedFile("2027.csv", csv)})
    year = CalendarYear.objects.get(year=2027)
    [entry] = entries(f"admin.calendaryear:{year.pk}")
    assert entry.action == "admin_import" and entry.data["days"] == 1 and entry.actor_id == personas.admin.pk
