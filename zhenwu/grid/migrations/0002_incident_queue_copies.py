"""The queue's copies of each incident's case state and running clock (status, due_at, yellow_at), filled in
for the incidents already there: the state by one UPDATE, the clock of the running ones by ``yellow_from``."""

from typing import Any

from django.conf import settings
from django.db import migrations, models

BATCH = 2000


def fill(apps: Any, schema_editor: Any) -> None:
    from zhenwu.casework.deadlines import yellow_from

    Incident = apps.get_model("grid", "Incident")
    table, cases = Incident._meta.db_table, apps.get_model("casework", "Case")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET status = (SELECT c.status FROM {cases} c WHERE c.id = {table}.case_id)")
    running = (Incident.objects.filter(case__deadline_due_at__isnull=False, case__deadline_stopped_at__isnull=True)
               .values_list("pk", "case__deadline_unit", "case__deadline_limit", "case__deadline_due_at"))
    rows = []
    for pk, unit, limit, due in running.iterator(chunk_size=BATCH):
        rows.append(Incident(pk=pk, due_at=due, yellow_at=yellow_from(unit, limit, due)))
        if len(rows) >= BATCH:
            Incident.objects.bulk_update(rows, ["due_at", "yellow_at"])
            rows = []
    Incident.objects.bulk_update(rows, ["due_at", "yellow_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0011_idempotency_record'),
        ('grid', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='incident',
            name='due_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='due at (running deadline)'),
        ),
        migrations.AddField(
            model_name='incident',
            name='status',
            field=models.CharField(default='reported', max_length=24, verbose_name='status'),
        ),
        migrations.AddField(
            model_name='incident',
            name='yellow_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='light turns yellow at'),
        ),
        migrations.AddIndex(
            model_name='incident',
            index=models.Index(fields=['area_code', 'status'], name='grid_incident_tabs'),
        ),
        migrations.AddIndex(
            model_name='incident',
            index=models.Index(condition=models.Q(('due_at__isnull', False)), fields=['area_code', 'due_at', 'yellow_at'], name='grid_incident_lights'),
        ),
        # after the indexes: PostgreSQL refuses CREATE INDEX on a table with pending trigger events
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
