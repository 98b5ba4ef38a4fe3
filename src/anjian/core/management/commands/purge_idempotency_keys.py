"""Delete the idempotency keys older than 24 hours (``anjian.core.idempotency``).

Each write with a key already purges its user's expired keys; this clears the rest (users who
stopped sending). Run it daily from the scheduler or cron: ``manage.py purge_idempotency_keys``.
"""

from django.core.management.base import BaseCommand

from anjian.core import idempotency


class Command(BaseCommand):
    help = "删除 24 小时前的幂等键（Idempotency-Key）记录。"

    def handle(self, *args, **options):
        deleted = idempotency.purge()
        self.stdout.write(f"purged {deleted} idempotency key(s) older than 24 hours")
