"""The hall's 催办 records move into the kernel's ``casework.CaseUrge`` (supervision over every kind)."""

from django.db import migrations


def forward(apps, schema_editor):
    Urge = apps.get_model("services", "Urge")
    CaseUrge = apps.get_model("casework", "CaseUrge")
    rows = Urge.objects.select_related("application").order_by("pk").iterator(chunk_size=2000)
    batch = []
    for u in rows:
        batch.append(CaseUrge(case_id=u.application.case_id, level=u.level, recipient_id=u.recipient_id,
                              sent_at=u.sent_at))
        if len(batch) >= 2000:
            CaseUrge.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    CaseUrge.objects.bulk_create(batch, ignore_conflicts=True)


def backward(apps, schema_editor):
    Urge = apps.get_model("services", "Urge")
    CaseUrge = apps.get_model("casework", "CaseUrge")
    Application = apps.get_model("services", "Application")
    by_case = dict(Application.objects.values_list("case_id", "pk"))
    Urge.objects.bulk_create(
        [Urge(application_id=by_case[u.case_id], level=u.level, recipient_id=u.recipient_id, sent_at=u.sent_at)
         for u in CaseUrge.objects.filter(level__in=["yellow", "red"], case_id__in=by_case).iterator()],
        ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("services", "0007_application_handler_and_stand_ins_removed"),
        ("casework", "0009_supervision_over_cases"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="Urge"),
    ]
