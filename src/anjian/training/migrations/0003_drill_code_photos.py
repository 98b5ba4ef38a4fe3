import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import anjian.training.models.training


def fill_codes(apps, schema_editor):
    drill = apps.get_model("training", "Drill")
    for row in drill.objects.filter(code__isnull=True):
        row.code = anjian.training.models.training.new_code()
        row.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_defaults"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(model_name="drill", name="code", field=models.CharField(max_length=40, null=True, editable=False)),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="drill",
            name="code",
            field=models.CharField(
                default=anjian.training.models.training.new_code, editable=False, max_length=40, unique=True
            ),
        ),
    ]
