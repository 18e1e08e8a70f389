"""Every rectification and supervision task has its case now (0009 gave the existing ones theirs)."""

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ("services", "0009_rectification_and_supervision_tasks_become_cases"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rectificationtask",
            name="case",
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                       related_name="rectification_task", to="casework.case",
                                       verbose_name="case"),
        ),
        migrations.AlterField(
            model_name="supervisiontask",
            name="case",
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                       related_name="supervision_task", to="casework.case",
                                       verbose_name="case"),
        ),
    ]
