"""The queue's status counts per grid (``grid.IncidentCount``), kept by triggers on ``grid_incident``: each
insert, delete and change of an incident's state or grid moves the counts in the same transaction, so they hold
whatever writes the incidents. Filled in for the incidents already there."""

from typing import Any

from django.db import migrations, models

POSTGRES = [
    """CREATE OR REPLACE FUNCTION grid_incident_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE grid_incidentcount SET n = n - 1 WHERE area_code = OLD.area_code AND status = OLD.status;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO grid_incidentcount (area_code, status, n) VALUES (NEW.area_code, NEW.status, 1)
      ON CONFLICT (area_code, status) DO UPDATE SET n = grid_incidentcount.n + 1;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER grid_incident_count_rows AFTER INSERT OR DELETE ON grid_incident
  FOR EACH ROW EXECUTE FUNCTION grid_incident_count()""",
    """CREATE TRIGGER grid_incident_count_moves AFTER UPDATE OF status, area_code ON grid_incident
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.area_code IS DISTINCT FROM NEW.area_code)
  EXECUTE FUNCTION grid_incident_count()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS grid_incident_count_moves ON grid_incident",
    "DROP TRIGGER IF EXISTS grid_incident_count_rows ON grid_incident",
    "DROP FUNCTION IF EXISTS grid_incident_count()",
]
_SQLITE_ADD = """INSERT OR IGNORE INTO grid_incidentcount (area_code, status, n) VALUES (NEW.area_code, NEW.status, 0);
  UPDATE grid_incidentcount SET n = n + 1 WHERE area_code = NEW.area_code AND status = NEW.status;"""
_SQLITE_TAKE = "UPDATE grid_incidentcount SET n = n - 1 WHERE area_code = OLD.area_code AND status = OLD.status;"
SQLITE = [
    f"CREATE TRIGGER grid_incident_count_insert AFTER INSERT ON grid_incident BEGIN\n  {_SQLITE_ADD}\nEND",
    f"CREATE TRIGGER grid_incident_count_delete AFTER DELETE ON grid_incident BEGIN\n  {_SQLITE_TAKE}\nEND",
    f"""CREATE TRIGGER grid_incident_count_moves AFTER UPDATE OF status, area_code ON grid_incident
  WHEN OLD.status IS NOT NEW.status OR OLD.area_code IS NOT NEW.area_code BEGIN
  {_SQLITE_TAKE}
  {_SQLITE_ADD}
END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS grid_incident_count_{name}" for name in ("insert", "delete", "moves")]
FILL = ("INSERT INTO grid_incidentcount (area_code, status, n) "
        "SELECT area_code, status, COUNT(*) FROM grid_incident GROUP BY area_code, status")


def _run(schema_editor: Any, statements: list[str]) -> None:
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def triggers_create(apps: Any, schema_editor: Any) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    _run(schema_editor, ["DELETE FROM grid_incidentcount", FILL, *(POSTGRES if postgres else SQLITE)])


def triggers_drop(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("grid", "0002_incident_queue_copies"),
    ]

    operations = [
        migrations.CreateModel(
            name="IncidentCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("area_code", models.CharField(max_length=24, verbose_name="area code")),
                ("status", models.CharField(max_length=24, verbose_name="status")),
                ("n", models.IntegerField(default=0, verbose_name="incidents")),
            ],
            options={
                "verbose_name": "incident count",
                "verbose_name_plural": "incident counts",
                "constraints": [models.UniqueConstraint(fields=("area_code", "status"),
                                                        name="grid_incidentcount_key")],
            },
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
