"""The handler and A/B角 stand-ins move into the kernel: copy ``Application.handler`` into
``Case.handler`` (with one row of the case's handler history) and every ``services.StandIn`` into
``casework.StandIn`` under the same primary key (the admin's audit subjects ``admin.standin:<pk>`` keep
naming the same row). The next migration drops the old column and table."""

from django.core.management.color import no_style
from django.db import migrations

REASON = "copied from the service hall's handler (services.0006)"


def forwards(apps, schema_editor):
    Application = apps.get_model("services", "Application")
    Case = apps.get_model("casework", "Case")
    CaseHandoff = apps.get_model("casework", "CaseHandoff")
    OldStandIn = apps.get_model("services", "StandIn")
    StandIn = apps.get_model("casework", "StandIn")
    held = Application.objects.exclude(handler=None).values_list("case_id", "handler_id").iterator(chunk_size=2000)
    batch = []
    for case_id, handler_id in held:
        Case.objects.filter(pk=case_id).update(handler_id=handler_id)
        batch.append(CaseHandoff(case_id=case_id, handler_id=handler_id, reason=REASON))
        if len(batch) >= 2000:
            CaseHandoff.objects.bulk_create(batch)
            batch = []
    CaseHandoff.objects.bulk_create(batch)
    rows = [StandIn(pk=r.pk, user_id=r.user_id, stand_in_id=r.stand_in_id, starts_at=r.starts_at,
                    ends_at=r.ends_at, created_at=r.created_at) for r in OldStandIn.objects.all()]
    StandIn.objects.bulk_create(rows)
    if rows:
        with schema_editor.connection.cursor() as cursor:
            for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [StandIn]):
                cursor.execute(sql)
    # created_at is auto_now_add: bulk_create stamped "now"; put the original times back.
    for r in OldStandIn.objects.all():
        StandIn.objects.filter(pk=r.pk).update(created_at=r.created_at)


def backwards(apps, schema_editor):
    Application = apps.get_model("services", "Application")
    OldStandIn = apps.get_model("services", "StandIn")
    StandIn = apps.get_model("casework", "StandIn")
    for app in Application.objects.select_related("case").exclude(case__handler=None).iterator(chunk_size=2000):
        Application.objects.filter(pk=app.pk).update(handler_id=app.case.handler_id)
    OldStandIn.objects.bulk_create([OldStandIn(pk=r.pk, user_id=r.user_id, stand_in_id=r.stand_in_id,
                                               starts_at=r.starts_at, ends_at=r.ends_at)
                                    for r in StandIn.objects.all()])


class Migration(migrations.Migration):

    dependencies = [
        ("services", "0005_paused_from_moves_into_the_case"),
        ("casework", "0008_case_handler_handoffs_and_stand_ins"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
