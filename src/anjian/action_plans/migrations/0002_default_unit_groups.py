from django.db import migrations


def forwards(apps, schema_editor):
    from anjian.action_plans.defaults import load_groups

    load_groups(apps.get_model("action_plans", "UnitGroup"))


class Migration(migrations.Migration):
    dependencies = [("action_plans", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
