"""The day window of "every N hours" rhythms (08:00–20:00, or the whole day when empty)."""

from django.db import migrations, models

from anjian.inspections.defaults import load_windows


def windows(apps, schema_editor):
    load_windows(apps.get_model("inspections", "RhythmDefault"))


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0003_record_one_per_slot'),
    ]

    operations = [
        migrations.AddField(
            model_name='rhythmdefault',
            name='day_end',
            field=models.TimeField(blank=True, help_text='仅“每日每隔N小时”：空为 24:00', null=True, verbose_name='每日检查时段止'),
        ),
        migrations.AddField(
            model_name='rhythmdefault',
            name='day_start',
            field=models.TimeField(blank=True, help_text='仅“每日每隔N小时”：空为 00:00', null=True, verbose_name='每日检查时段起'),
        ),
        migrations.AddField(
            model_name='schedule',
            name='day_end',
            field=models.TimeField(blank=True, help_text='仅“每日每隔N小时”：空为 24:00，如 20:00', null=True, verbose_name='每日检查时段止'),
        ),
        migrations.AddField(
            model_name='schedule',
            name='day_start',
            field=models.TimeField(blank=True, help_text='仅“每日每隔N小时”：空为 00:00，如 08:00', null=True, verbose_name='每日检查时段起'),
        ),
        migrations.RunPython(windows, migrations.RunPython.noop),
    ]
