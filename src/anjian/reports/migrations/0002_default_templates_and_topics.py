from django.db import migrations


def load_defaults(apps, schema_editor):
    from anjian.reports.defaults import load

    load(
        apps.get_model("reports", "NoticeTemplate"),
        apps.get_model("reports", "StatisticsTopic"),
        apps.get_model("reports", "TopicCategory"),
        apps.get_model("hazards", "HazardCategory"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("hazards", "0002_default_categories_and_criteria"),
    ]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
