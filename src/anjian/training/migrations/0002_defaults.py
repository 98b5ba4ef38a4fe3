from django.db import migrations


def forwards(apps, schema_editor):
    from anjian.training.defaults import load

    load(apps.get_model("training", "CertificateKind"), apps.get_model("training", "TrainingCategory"))


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
