"""On PostgreSQL the audit tables refuse UPDATE and DELETE (a no-op on SQLite).

A session may lift the refusal for its current transaction only with
``SELECT set_config('zhenwu.audit_maintenance', 'on', true)`` — what
``zhenwu.casework.services.audit.audit_maintenance()`` does for the demo reset, visibly. A database owner
can still drop the trigger; the signed checkpoints are what catch that (docs/casework.md "Audit chain").
TRUNCATE (the test runner's flush) is not a row change and stays possible for the table owner.
"""

from django.db import migrations

TABLES = ("casework_auditentry", "casework_auditcheckpoint")

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION zhenwu_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('zhenwu.audit_maintenance', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% on % refused: the audit chain is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)  # no placeholders: keep plpgsql's % as written
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                              "FOR EACH ROW EXECUTE FUNCTION zhenwu_audit_append_only()")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS zhenwu_audit_append_only()")


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0004_audit_checkpoints_deadline"),
    ]

    operations = [migrations.RunPython(add_triggers, drop_triggers)]
