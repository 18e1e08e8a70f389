"""The incident's own copy of its case's grid (``area_code``, immutable) and the queue's indexes, so that the
dispatcher's queue filters and counts without joining the cases."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_area_code(apps, schema_editor):  # type: ignore[no-untyped-def]
    Incident = apps.get_model("grid", "Incident")
    Case = apps.get_model("casework", "Case")
    Incident.objects.update(area_code=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("area_code")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("grid", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="area_code",
            field=models.CharField(default="", max_length=24, verbose_name="area code"),
        ),
        migrations.RunPython(fill_area_code, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(fields=["is_open", "area_code"], name="grid_incident_queue"),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(fields=["-created_at", "-id"], name="grid_incident_created"),
        ),
    ]
