"""Load the default hazard categories and the medical major-hazard criteria (hazards/defaults.py)."""

from django.db import migrations

from anjian.hazards.defaults import load


def forwards(apps, schema_editor):
    load(
        apps.get_model("hazards", "HazardCategory"),
        apps.get_model("hazards", "CriterionSet"),
        apps.get_model("hazards", "Criterion"),
    )


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
