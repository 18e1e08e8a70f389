"""Where a 补正 or 特别程序 returns to moves from ``Application.return_state`` into the kernel's
``Case.paused_from`` (the kernel's ``resume`` reads it there); then the hall's column goes.

Only cases still paused carry it over (the hall cleared ``return_state`` on leaving a pause, but a
stale value on a case that is not paused is not copied: ``paused_from`` is empty outside a pause).
"""

from typing import Any

from django.db import migrations

PAUSES = ("supplement", "special")


def copy_return_state_into_the_case(apps: Any, schema_editor: Any) -> None:
    Application = apps.get_model("services", "Application")
    Case = apps.get_model("casework", "Case")
    rows = (Application.objects.exclude(return_state="").filter(case__status__in=PAUSES, case__paused_from="")
            .values_list("case_id", "return_state"))
    for case_id, state in rows.iterator():
        Case.objects.filter(pk=case_id, paused_from="").update(paused_from=state)


def copy_paused_from_back(apps: Any, schema_editor: Any) -> None:
    Application = apps.get_model("services", "Application")
    for app_id, state in (Application.objects.exclude(case__paused_from="")
                          .values_list("pk", "case__paused_from").iterator()):
        Application.objects.filter(pk=app_id).update(return_state=state)


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0007_case_paused_from"),
        ("services", "0004_hall_tracking_ratings_aliases"),
    ]

    operations = [
        migrations.RunPython(copy_return_state_into_the_case, copy_paused_from_back),
        migrations.RemoveField(model_name="application", name="return_state"),
    ]
