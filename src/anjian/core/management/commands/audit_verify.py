"""Verify the audit events' hash chain (anjian.core.integrity): the periodic job.

    manage.py audit_verify               walk every event in id order, keep the result, exit 1 if broken
    manage.py audit_verify --no-record   only report (nothing is written: e.g. right after a restore)

Prints "OK, N events (#first–#last, head <hash>)" and exits 0, or names the first broken link
(event id, time, what is wrong) and the others found, logs an ERROR and exits 1. The result is kept
(AuditChainCheck) and shown on the administrators' page; a new break also records an audit event.
Run it from cron or a systemd timer (docs/deployment.md).
"""

from django.core.management.base import BaseCommand, CommandError

from anjian.core import integrity
from anjian.core.models import AuditChainCheck


class Command(BaseCommand):
    help = "校验操作记录的哈希链是否完整（定时任务）；发现篡改时退出码为 1"

    def add_arguments(self, parser):
        parser.add_argument("--no-record", action="store_true", help="report only; write no result or event")
        parser.add_argument("--batch-size", type=int, default=integrity.BATCH_SIZE, help="events read per query")

    def handle(self, *args, no_record=False, batch_size=integrity.BATCH_SIZE, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if no_record:
            report = integrity.verify(batch_size=batch_size)
        else:
            _check, report = integrity.chain_check(source=AuditChainCheck.Source.COMMAND, batch_size=batch_size)
        if report.ok:
            self.stdout.write(f"{report.summary()} in {report.seconds:.1f}s")
            return
        for problem in report.problems:
            where = f"event #{problem.event_id}" + (f" ({problem.at})" if problem.at else "")
            self.stderr.write(f"{where}: {problem.kind}: {problem.message}")
        raise CommandError(report.summary(), returncode=1)
