"""Export the audit events older than the retention to a compressed archive (dry run by default).

    manage.py audit_archive --before 2025-12-01                what would be archived
    manage.py audit_archive --before 2025-12-01 --commit       write it (to VAR_DIR/audit-archive)
    manage.py audit_archive --before 2025-12-01 --commit --to /srv/archive

``--before`` may be no later than today minus AUDIT_RETENTION_DAYS (default 365, at least 180).
The archive continues from the previous one; it holds the events in id order up to the first one
dated on or after ``--before``: ``audit-<first id>-<last id>.jsonl.gz`` (one event a line, with
its hashes), ``.sha256`` beside it (``sha256sum -c``) and ``.manifest.json`` (the range, the
checksum and the chain's hash at the cut). The anchor is kept in the database (AuditArchive).
The events stay in the table: the append-only triggers forbid deleting them; the migration role
prunes them afterwards (docs/deployment.md), and the verification then starts from the anchor.
"""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anjian.core import integrity
from anjian.core.errors import DomainError


def day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from None


class Command(BaseCommand):
    help = "把超过保存期限的操作记录导出为压缩归档文件（默认只预览，--commit 才写入）"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, type=day, metavar="YYYY-MM-DD", help="archive events before")
        parser.add_argument("--to", type=Path, metavar="DIR", help="default: VAR_DIR/audit-archive")
        parser.add_argument("--commit", action="store_true", help="write the archive (default: dry run)")

    def handle(self, *args, before: dt.date, to: Path | None, commit: bool, **options):
        directory = to or Path(settings.VAR_DIR) / "audit-archive"
        try:
            plan = integrity.archive_plan(before)
        except (DomainError, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc
        if plan is None:
            self.stdout.write(f"nothing to archive before {before} (retention {integrity.retention_days()} days)")
            return
        last_at = timezone.localtime(plan.through_at)
        what = (
            f"{plan.events} events #{plan.first_id}–#{plan.through_id} (the last at {last_at:%Y-%m-%d %H:%M}), "
            f"chain hash at the cut {plan.head_hash}"
        )
        if not commit:
            self.stdout.write(f"dry run: would archive {what} to {directory / plan.file_name}; --commit to write it")
            return
        try:
            archive = integrity.archive_write(plan, directory)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"archived {what} to {archive.file_name} (SHA-256 {archive.file_sha256})")
        self.stdout.write(
            f"after checking the file, the migration role may delete events with id <= {plan.through_id} "
            "(docs/deployment.md)"
        )
