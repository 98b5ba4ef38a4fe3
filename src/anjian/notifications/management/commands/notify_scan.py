"""The periodic job of notifications: dispatch pending audit events, find the time-driven ones (due
soon, overdue, the escalation ladder, supervision overdue, key tasks, inspections missed, reports
owed, certificates expiring, equipment due for inspection), queue again any delivery whose task went
missing. Safe on several hosts at once (one scans: ``scan.run`` takes a row lock). Run it every few
minutes (cron, a systemd timer), or let it loop with ``--every SECONDS`` (``make run`` does)."""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from anjian.notifications import scan

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Find the notifications that time brings (due, overdue, escalated, missed, owed, expiring) and queue them."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="run again every SECONDS (0: once)")

    def handle(self, *args, every: int = 0, **options):
        while True:
            try:
                self.scan_once()
            except Exception:
                if every <= 0:
                    raise
                logger.exception("notify_scan failed; trying again in %s seconds", every)
            if every <= 0:
                return
            close_old_connections()
            time.sleep(every)

    def scan_once(self) -> None:
        result = scan.run()
        if not result.ran:
            self.stdout.write("notify_scan: another host is scanning; nothing done")
        else:
            self.stdout.write(
                f"notify_scan: dispatched {result.dispatched}, due soon {result.due_soon}, "
                f"overdue {result.overdue}, escalated {result.escalated}, "
                f"supervision due soon {result.supervision_due_soon}, "
                f"supervision overdue {result.supervision_overdue}, tasks {result.tasks}, "
                f"inspections missed {result.inspections}, reports {result.reports}, "
                f"certificates {result.certificates}, equipment {result.equipment}, "
                f"digests {result.digests}, requeued {result.requeued}"
            )
