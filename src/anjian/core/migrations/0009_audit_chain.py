"""The audit events' hash chain (anjian.core.integrity): two columns, the verification results and
the archive anchors, and the chain computed for the events already there, in primary-key order."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# the append-only triggers of 0002: the chain is written into rows that exist, so they step aside
SQLITE_TRIGGER = """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"""
BATCH = 2000


def ensure_sqlite_trigger(apps, schema_editor):
    # SQLite adds a NOT NULL column by rebuilding the table, which drops its triggers.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def chain_existing_events(apps, schema_editor):
    from anjian.core.integrity import GENESIS, ROW_FIELDS, event_hash

    connection = schema_editor.connection
    AuditEvent = apps.get_model("core", "AuditEvent")
    db = connection.alias
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_change")
    elif connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
    prev, last = GENESIS, 0
    while True:
        rows = list(AuditEvent.objects.using(db).filter(pk__gt=last).order_by("pk").values(*ROW_FIELDS)[:BATCH])
        if not rows:
            break
        links = []
        for row in rows:
            digest = event_hash(prev, row)
            links.append((prev, digest, row["pk"]))
            prev = digest
        with connection.cursor() as cursor:
            cursor.executemany("UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", links)
        last = rows[-1]["pk"]
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_change")
    elif connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0008_work_calendar_year'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, ensure_sqlite_trigger),  # undone last: the trigger back
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, db_default='', max_length=64, verbose_name='校验值'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(blank=True, db_default='', max_length=64, verbose_name='前一条校验值'),
        ),
        migrations.CreateModel(
            name='AuditArchive',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='归档时间')),
                ('before', models.DateField(verbose_name='归档截止日期')),
                ('first_id', models.BigIntegerField()),
                ('through_id', models.BigIntegerField(unique=True)),
                ('through_at', models.DateTimeField()),
                ('events', models.PositiveBigIntegerField(verbose_name='记录数')),
                ('first_prev_hash', models.CharField(blank=True, max_length=64)),
                ('head_hash', models.CharField(db_index=True, max_length=64)),
                ('file_name', models.CharField(max_length=255, verbose_name='归档文件')),
                ('file_sha256', models.CharField(max_length=64)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '操作记录归档',
                'verbose_name_plural': '操作记录归档',
                'ordering': ['-through_id'],
            },
        ),
        migrations.CreateModel(
            name='AuditChainCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='校验时间')),
                ('source', models.CharField(choices=[('command', '定时校验（命令）'), ('page', '管理员手动校验')], max_length=16, verbose_name='方式')),
                ('ok', models.BooleanField(verbose_name='完整')),
                ('events', models.PositiveBigIntegerField(verbose_name='记录数')),
                ('first_id', models.BigIntegerField(blank=True, null=True)),
                ('head_id', models.BigIntegerField(blank=True, null=True)),
                ('head_hash', models.CharField(blank=True, max_length=64)),
                ('problem_event_id', models.BigIntegerField(blank=True, null=True, verbose_name='首个问题记录')),
                ('problem_kind', models.CharField(blank=True, max_length=32)),
                ('problem_count', models.PositiveIntegerField(default=0)),
                ('problems', models.JSONField(blank=True, default=list)),
                ('seconds', models.FloatField(default=0, verbose_name='用时（秒）')),
                ('checked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='校验人')),
            ],
            options={
                'verbose_name': '操作记录校验',
                'verbose_name_plural': '操作记录校验',
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
    ]
