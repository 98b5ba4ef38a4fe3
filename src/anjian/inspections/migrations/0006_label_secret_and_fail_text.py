"""Signed QR labels and the 不合格表述 of checklist items.

Each point gets its own label secret (AddField computes a callable default once for every existing
row, so the secrets are drawn again row by row); the starter items, and copies that kept their
wording, get their 不合格表述 (inspections/defaults.py). Labels printed before this carry no token
and no longer prove presence: reprint them (点位列表 → 打印二维码标签)."""

import secrets

from django.db import migrations, models

import anjian.inspections.models
from anjian.inspections.defaults import load_fail_texts


def secrets_per_point(apps, schema_editor):
    InspectionPoint = apps.get_model("inspections", "InspectionPoint")
    for pk in InspectionPoint.objects.values_list("pk", flat=True).iterator():
        InspectionPoint.objects.filter(pk=pk).update(label_secret=secrets.token_urlsafe(32))


def fail_texts(apps, schema_editor):
    load_fail_texts(apps.get_model("inspections", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0005_supervision_inspectors"),
    ]

    operations = [
        migrations.AddField(
            model_name="checklistitem",
            name="fail_text",
            field=models.CharField(
                blank=True,
                help_text="该项不合格时登记的隐患名称，写明存在的问题，如“安全出口、疏散通道堵塞或锁闭”；不填则为“不符合要求：检查内容”",
                max_length=200,
                verbose_name="不合格表述",
            ),
        ),
        migrations.AddField(
            model_name="inspectionpoint",
            name="label_secret",
            field=models.CharField(
                default=anjian.inspections.models.new_label_secret, editable=False, max_length=64, verbose_name="标签密钥"
            ),
        ),
        migrations.AddField(
            model_name="inspectionpoint",
            name="label_version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="标签版本"),
        ),
        migrations.RunPython(secrets_per_point, migrations.RunPython.noop),
        migrations.RunPython(fail_texts, migrations.RunPython.noop),
    ]
