"""电子监察's daily summary moves into the kernel's ``casework.CaseFilingStat`` (kind SQ, facet: the item
version's id); the hall's own ``ApplicationDayStat`` goes."""

from django.db import migrations

KIND = "SQ"  # the applications' case kind, frozen here as the rows were written
COUNTERS = ("cases", "finished", "on_time", "promised_days", "used_raw", "r1", "r2", "r3", "r4", "r5")
BATCH = 2000


def forward(apps, schema_editor):
    ApplicationDayStat = apps.get_model("services", "ApplicationDayStat")
    CaseFilingStat = apps.get_model("casework", "CaseFilingStat")
    batch = []
    for row in ApplicationDayStat.objects.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(CaseFilingStat(town_code=row.town_code, day=row.day, kind=KIND,
                                    facet=str(row.item_version_id), channel=row.channel,
                                    **{c: getattr(row, c) for c in COUNTERS}))
        if len(batch) >= BATCH:
            CaseFilingStat.objects.bulk_create(batch)
            batch = []
    CaseFilingStat.objects.bulk_create(batch)


def backward(apps, schema_editor):
    ApplicationDayStat = apps.get_model("services", "ApplicationDayStat")
    CaseFilingStat = apps.get_model("casework", "CaseFilingStat")
    rows = CaseFilingStat.objects.filter(kind=KIND).order_by("pk").iterator(chunk_size=BATCH)
    ApplicationDayStat.objects.bulk_create(
        [ApplicationDayStat(town_code=r.town_code, day=r.day, item_version_id=int(r.facet), channel=r.channel,
                            **{c: getattr(r, c) for c in COUNTERS}) for r in rows], batch_size=BATCH)
    CaseFilingStat.objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("services", "0010_task_case_required"),
        ("casework", "0010_case_filing_stat"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ApplicationDayStat"),
    ]
