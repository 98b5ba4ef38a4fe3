"""Load the default tables of the LEC and LS methods (risks/defaults.py) as version 1."""

from django.db import migrations

from anjian.risks.defaults import load


def forwards(apps, schema_editor):
    load(
        apps.get_model("risks", "AssessmentMethod"),
        apps.get_model("risks", "MethodFactor"),
        apps.get_model("risks", "MethodBand"),
    )


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
