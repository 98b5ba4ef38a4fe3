from django.db import migrations


def load_defaults(apps, schema_editor):
    from anjian.registers.defaults import load

    load(apps.get_model("registers", "EquipmentKind"), apps.get_model("registers", "Chemical"))


class Migration(migrations.Migration):
    dependencies = [("registers", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
