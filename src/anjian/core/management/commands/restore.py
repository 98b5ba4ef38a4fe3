"""Restore a backup made by ``manage.py backup`` into an empty database and MEDIA_ROOT.

    manage.py restore --from /srv/backup/anjian-2026-12-05
    manage.py restore --from DIR --force     replace a database that has tables / media that has files

Every checksum is verified before anything is touched. Afterwards the row count of every table is
compared with the manifest and the audit chain is verified (read-only); any difference exits 1.
On PostgreSQL run it as the migration role (it creates the tables, which that role then owns), into
a database created for it (docs/deployment.md).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anjian.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从备份目录恢复数据库和上传文件（仅限空数据库；先核对校验值，恢复后核对行数和操作记录链）"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, type=Path, metavar="DIR", help="the backup")
        parser.add_argument("--force", action="store_true", help="restore over a database or MEDIA_ROOT in use")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args, source: Path, force: bool, database: str, **options):
        try:
            result = restore_backup(source, using=database, force=force, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {result.tables} tables, {result.rows} rows, {result.media_files} media files")
        for line in result.count_mismatches:
            self.stderr.write(f"row count differs: {line}")
        if not result.count_mismatches:
            self.stdout.write("row counts: every table matches the manifest")
        self.stdout.write(f"audit chain: {result.audit.summary()}")
        if not result.audit_head_matches:
            self.stderr.write("audit chain: the head differs from the one in the manifest")
        if not result.ok:
            raise CommandError("the restored data differ from the backup (see above)", returncode=1)
