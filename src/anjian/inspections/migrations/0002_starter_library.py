"""Load the starter library of checklists and the default rhythms (inspections/defaults.py)."""

from django.db import migrations

from anjian.inspections.defaults import load


def forwards(apps, schema_editor):
    load(
        apps.get_model("inspections", "ChecklistTemplate"),
        apps.get_model("inspections", "ChecklistSection"),
        apps.get_model("inspections", "ChecklistItem"),
        apps.get_model("hazards", "HazardCategory"),
        apps.get_model("inspections", "RhythmDefault"),
    )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial"), ("hazards", "0002_default_categories_and_criteria")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
