"""``manage.py generate_scale --institutions 1000 --years 3 --seed 1``: the city-sized synthetic data
set of ``anjian.scale.generator`` on PostgreSQL (migrate first; a fresh database)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from anjian.scale.generator import Generator


class Command(BaseCommand):
    help = "生成规模测试数据（PostgreSQL）：监管部门、机构、人员、隐患、检查记录、任务分解"

    def add_arguments(self, parser):
        parser.add_argument("--institutions", type=int, default=1000, help="number of institutions (default 1000)")
        parser.add_argument("--years", type=int, default=3, help="years of history (default 3)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: same seed, same data (default 1)")
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None, help="the day the data ends (default: today)"
        )

    def handle(self, *args, institutions, years, seed, today, **options):
        if institutions < 1 or years < 1:
            raise CommandError("--institutions and --years must be at least 1")
        try:
            report = Generator(
                institutions=institutions, years=years, seed=seed, today=today, log=self.stdout.write
            ).run()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        for name, n in report.counts.items():
            self.stdout.write(f"{name}: {n}")
