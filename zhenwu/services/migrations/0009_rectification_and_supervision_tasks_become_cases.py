"""Every 差评整改 and 审管联动 task gets a case of its own kind (ZG, SG), its history replayed.

The kernel's ``cases_bulk_write`` writes each case as ``case_create`` + ``transition()`` would have at the
task's own moments (opened at ``created_at``; 核实 / 答复 / 回访, 跟进完成 at the recorded times), so the
numbers are gap-free per kind, town and day, the deadlines are today's task deadlines and ``audit verify``
holds. It uses the live kernel (the audit hashing is its own), which matches the schema as of
``casework.0009``; a database with no tasks (a fresh one) skips it. Reversing drops the link only: the
cases stay, as every case does.
"""

from django.db import migrations, models
import django.db.models.deletion


def _text(value, fallback):
    return (value or "").strip() or fallback


def tasks_to_cases(apps, schema_editor):
    Rect = apps.get_model("services", "RectificationTask")
    Sup = apps.get_model("services", "SupervisionTask")
    if not Rect.objects.filter(case__isnull=True).exists() and not Sup.objects.filter(case__isnull=True).exists():
        return
    from django.utils import timezone

    from zhenwu.accounts.models import User
    from zhenwu.casework import workcal
    from zhenwu.casework.choices import DeadlineUnit
    from zhenwu.casework.process import DeadlineSpec
    from zhenwu.casework.services import CaseDraft, StepDraft, cases_bulk_write
    from zhenwu.services import task_process as tp

    users = {}

    def user(pk):
        if pk is None:
            return None
        if pk not in users:
            users[pk] = User.objects.filter(pk=pk).first()
        return users[pk]

    def title(app):
        return f"{app.case.number} {app.case.title}"[:200]

    drafts, rows = [], []
    for task in Rect.objects.filter(case__isnull=True).select_related("application__case", "rating").order_by("pk"):
        app, steps = task.application, []
        if task.verified_at:
            today, due = timezone.localdate(task.verified_at), timezone.localdate(task.rectify_due_at)
            rest = max(workcal.calendar_current().between(today, due), 1)
            finding = _text(task.verification, "-")
            steps.append(StepDraft("verify", task.verified_at, user(task.verified_by_id), reason=finding,
                                   fields={"finding": finding},
                                   deadline=DeadlineSpec(DeadlineUnit.WORKING_DAYS, rest)))
            if task.replied_at and task.replied_at >= task.verified_at:
                reply = _text(task.reply, "-")
                steps.append(StepDraft("answer", task.replied_at, None, reason=reply, fields={"reply": reply}))
                if task.called_back_at and task.called_back_at >= task.replied_at:
                    record = _text(task.callback, "-")
                    steps.append(StepDraft("callback", task.called_back_at, user(task.called_back_by_id),
                                           reason=record, fields={"record": record}))
        drafts.append(CaseDraft(kind=tp.RECTIFY_KIND, process=tp.RECTIFY_PROCESS, area_code=task.area_code,
                                town_code=app.case.town_code, title=title(app), created_at=task.created_at,
                                actor=user(task.rating.rated_by_id), reason=task.rating.comment[:500],
                                steps=steps))
        rows.append(task)
    for task in Sup.objects.filter(case__isnull=True).select_related("application__case").order_by("pk"):
        steps = []
        if task.done_at and task.done_at >= task.created_at:
            text = _text(task.note, "-")
            steps.append(StepDraft("complete", task.done_at, user(task.done_by_id), reason=text,
                                   fields={"note": text}))
        drafts.append(CaseDraft(kind=tp.SUPERVISE_KIND, process=tp.SUPERVISE_PROCESS, area_code=task.area_code,
                                title=title(task.application), created_at=task.created_at, steps=steps))
        rows.append(task)
    cases = cases_bulk_write(drafts)
    for task, case in zip(rows, cases):
        task.case_id = case.pk
        task.save(update_fields=["case"])


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0009_supervision_over_cases"),
        ("services", "0008_urges_move_into_casework"),
    ]

    operations = [
        migrations.AddField(
            model_name="rectificationtask",
            name="case",
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT,
                                       related_name="rectification_task", to="casework.case",
                                       verbose_name="case"),
        ),
        migrations.AddField(
            model_name="supervisiontask",
            name="case",
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT,
                                       related_name="supervision_task", to="casework.case",
                                       verbose_name="case"),
        ),
        migrations.RunPython(tasks_to_cases, migrations.RunPython.noop),
    ]
