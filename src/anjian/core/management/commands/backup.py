"""Back up the database and the media files into a directory, with a manifest of row counts and
checksums (anjian.core.backup).

    manage.py backup --to /srv/backup/anjian-2026-12-05

The directory must be new or empty. Restore with ``manage.py restore --from DIR`` (docs/deployment.md).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anjian.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个目录（含各表行数和每个文件的 SHA-256 校验值）"

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, metavar="DIR", help="a new or empty directory")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args, to: Path, database: str, **options):
        try:
            manifest = make_backup(to, using=database, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        db = manifest["database"]
        audit = db["audit"]
        self.stdout.write(
            f"backup written to {to}: {len(db['tables'])} tables, {db['rows']} rows, "
            f"{manifest['media']['files']} media files; audit events {audit['events']}, "
            f"head #{audit['head_id']} {audit['head_hash'][:16]}"
        )
