"""Rebuild or check the monthly hazard summary the dashboards read (``hazards.summary``).

    manage.py rebuild_hazard_summary           recount every hazard, replace the rows (one transaction)
    manage.py rebuild_hazard_summary --check   compare the rows with a recount; exit 1 on a difference

The services keep the summary in every hazard write's transaction; run the rebuild after writing
hazards beside the ORM (a bulk load, the scale generator, a restore of a partial dump) and the
check from cron to prove nothing did so unnoticed (docs/performance.md).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from anjian.hazards import summary


class Command(BaseCommand):
    help = "重建或核对隐患月度汇总（看板统计所用）；--check 时不一致则退出码为 1"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare with a recount; write nothing")

    def handle(self, *args, check=False, **options):
        started = time.monotonic()
        if not check:
            rows = summary.rebuild()
            self.stdout.write(f"rebuilt: {rows} rows in {time.monotonic() - started:.1f}s")
            return
        diffs = summary.differences()
        if not diffs:
            self.stdout.write(f"OK: the summary equals a recount ({time.monotonic() - started:.1f}s)")
            return
        for key, have, want in diffs[:20]:
            self.stderr.write(f"{dict(zip(summary.KEY, key, strict=True))}: stored {have}, counted {want}")
        raise CommandError(f"{len(diffs)} summary rows differ from a recount", returncode=1)
