from django.db import migrations


def load(apps, schema_editor):
    from anjian.contractors.defaults import ensure_defaults

    ensure_defaults(apps.get_model("contractors", "PermitKind"))


class Migration(migrations.Migration):
    dependencies = [("contractors", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
