#!/usr/bin/env python3
"""Generate the city-sized synthetic data set (``scripts/scale``) in the database of DATABASE_URL:
PostgreSQL only, migrated first, and fresh (a set already there is refused).

    DATABASE_URL=postgres://… .venv/bin/python scripts/generate_scale.py --institutions 1000 --years 3 --seed 1

Same seed and ``--today``, same data. ``scripts/bench.py`` calls this when its database holds no set;
docs/performance.md describes the set and the figures measured on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description="生成规模测试数据（PostgreSQL）：监管部门、机构、人员、隐患、检查记录、任务分解"
    )
    p.add_argument("--institutions", type=int, default=1000, help="number of institutions (default 1000)")
    p.add_argument("--years", type=int, default=3, help="years of history (default 3)")
    p.add_argument("--seed", type=int, default=1, help="random seed: same seed, same data (default 1)")
    p.add_argument("--today", type=dt.date.fromisoformat, default=None, help="the day the data ends (default: today)")
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.institutions < 1 or args.years < 1:
        p.error("--institutions and --years must be at least 1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
    import django

    django.setup()
    from scale import Generator

    try:
        report = Generator(
            institutions=args.institutions, years=args.years, seed=args.seed, today=args.today, log=print
        ).run()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, n in report.counts.items():
        print(f"{name}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
