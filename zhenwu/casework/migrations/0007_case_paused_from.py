"""``Case.paused_from``: the state a pause returns to, for the kernel's one ``resume`` action.

Process definitions stored in the admin that declared their own ``resume`` action (now a reserved key)
are rewritten: the action's label, roles, required fields, guards and effects move into a ``resume``
block on each pausing state it left, so the definition still loads. Cases paused before this keep an
empty ``paused_from``; ``transition()`` finds their way back in their audit chain.
"""

from typing import Any

from django.db import migrations, models

RESUME_KEYS = ("label", "roles", "required", "guards", "effects")


def _sources(action: dict[str, Any]) -> list[str]:
    raw = action.get("from") or []
    return [raw] if isinstance(raw, str) else [str(s) for s in raw]


def move_resume_actions_into_states(apps: Any, schema_editor: Any) -> None:
    Record = apps.get_model("casework", "ProcessDefinitionRecord")
    for record in Record.objects.all():
        definition = record.definition if isinstance(record.definition, dict) else None
        actions = (definition or {}).get("actions") or []
        own = [a for a in actions if isinstance(a, dict) and a.get("key") == "resume"]
        if not own:
            continue
        states = {s.get("key"): s for s in definition.get("states") or [] if isinstance(s, dict)}
        for action in own:
            for source in _sources(action):
                state = states.get(source)
                if state is not None and state.get("pauses_clock") and "resume" not in state:
                    state["resume"] = {k: action[k] for k in RESUME_KEYS if k in action}
        definition["actions"] = [a for a in actions if a not in own]
        Record.objects.filter(pk=record.pk).update(definition=definition)


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0006_attachment_upload_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="paused_from",
            field=models.CharField(blank=True, default="", db_default="", max_length=64, verbose_name="paused from"),
        ),
        migrations.RunPython(move_resume_actions_into_states, migrations.RunPython.noop),
    ]
