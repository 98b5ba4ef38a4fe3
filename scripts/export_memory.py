#!/usr/bin/env python3
"""Time and peak memory of the ledger export (隐患台账 xlsx) and of the three lists of major hazards.

    scripts/export_memory.py                   100,000 hazards (and a 1,000-hazard baseline)
    scripts/export_memory.py -n 20000 -n 200000
    DATABASE_URL=postgres://… scripts/export_memory.py   on that (empty, throwaway!) database

Without DATABASE_URL the hazards go into a throwaway SQLite file in a temporary directory. Each
export runs in a fresh process (``--export``), signed in as the district regulator, through the real
view (GET /hazards/export.xlsx, /reports/major-lists.xlsx) with the streamed response read chunk by
chunk, so its peak RSS is the export's own and not the data generator's. Memory that stays flat
while the rows grow a hundredfold is what the streaming (write-only workbook on disk, a database
cursor in chunks, a FileResponse) is for.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    import django

    django.setup()


def generate(db_url: str, n: int) -> None:
    """Migrate and fill the database with a district, 20 institutions and ``n`` hazards."""
    _django(db_url)
    import datetime as dt
    import random

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from anjian.core.roles import Role
    from anjian.core.testing import factories as f
    from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus
    from anjian.hazards.models import Hazard, HazardCategory

    district = f.make_regulator(name="导出测试区卫健委")
    f.make_user(organization=district, role=Role.REGULATOR_ADMIN, username="export_regulator", name="导出测试")
    orgs = [f.make_institution(parent=district, name=f"导出测试医院{i}") for i in range(20)]
    cats = list(HazardCategory.objects.all())
    rng = random.Random(9704)
    now = timezone.now()
    batch = []
    for i in range(n):
        closed = rng.random() < 0.6
        found = now - dt.timedelta(minutes=rng.randint(60, 60 * 24 * 700))
        batch.append(
            Hazard(
                number=f"EX-{i:08d}",
                organization=rng.choice(orgs),
                title=f"隐患{i}：配电箱前堆放杂物，影响操作和散热",
                location=f"{rng.randint(1, 20)}号楼{rng.randint(1, 30)}层",
                description="检查发现配电箱前堆放纸箱等可燃物，距离不足0.8米，存在火灾和触电风险。" * 2,
                category=rng.choice(cats),
                level=HazardLevel.MAJOR if rng.random() < 0.1 else HazardLevel.GENERAL,
                source=rng.choice(HazardSource.values),
                status=HazardStatus.CLOSED if closed else HazardStatus.RECTIFYING,
                found_at=found,
                accepted_at=found + dt.timedelta(days=3) if closed else None,
                deadline=(found + dt.timedelta(days=15)).date(),
                measures="清理杂物，设置警示标线，每日巡查。",
                goal="消除隐患",
                safety_measures="整改期间设置警戒区域",
            )
        )
        if len(batch) == 5000:
            Hazard.objects.bulk_create(batch)
            batch = []
    Hazard.objects.bulk_create(batch)


def export(db_url: str, path: str) -> dict:
    """One export through the view, in this process; the streamed body is read and dropped."""
    _django(db_url)
    from django.test import Client

    from anjian.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="export_regulator"))
    client.get("/healthz")  # the first request loads every URL module: not the export's time
    start = time.perf_counter()
    response = client.get(path)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": round(elapsed, 2), "peak_rss_mb": round(peak_kb / 1024, 1), "bytes": size}


def baseline(db_url: str) -> dict:
    """Peak RSS of the same process signing in and asking for a page that exports nothing (every URL
    module, view and library loaded): what every export starts from."""
    _django(db_url)
    import openpyxl  # noqa: F401 - loaded by the export too
    from django.test import Client

    from anjian.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="export_regulator"))
    assert client.get("/hazards/?q=none").status_code == 200
    return {"peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, action="append", help="hazards to generate (repeatable)")
    parser.add_argument("--export", nargs=2, metavar=("DB_URL", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=2, metavar=("DB_URL", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--baseline", metavar="DB_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export:
        print(json.dumps(export(*args.export)))
        return
    if args.generate:
        generate(args.generate[0], int(args.generate[1]))
        print(json.dumps({"ok": True}))
        return
    if args.baseline:
        print(json.dumps(baseline(args.baseline)))
        return

    sizes = args.n or [1_000, 100_000]
    given = os.environ.get("DATABASE_URL", "")
    if given and len(sizes) > 1:
        sys.exit("With DATABASE_URL give one -n (the database is filled once).")
    print(f"{'hazards':>9} {'export':<24} {'seconds':>8} {'peak RSS MB':>12} {'base MB':>8} {'file MB':>8}")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="anjian-export-") as tmp:
            db_url = given or f"sqlite:///{tmp}/export.sqlite3"
            t0 = time.perf_counter()
            _child("--generate", db_url, str(n))
            print(f"{n:>9} generated in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            base = _child("--baseline", db_url)["peak_rss_mb"]
            for label, path in (("ledger /hazards/export.xlsx", "/hazards/export.xlsx"),
                                ("three lists (major only)", "/reports/major-lists.xlsx")):  # fmt: skip
                r = _child("--export", db_url, path)
                print(
                    f"{n:>9} {label:<24} {r['seconds']:>8} {r['peak_rss_mb']:>12} {base:>8} "
                    f"{r['bytes'] / 1024 / 1024:>8.1f}"
                )


if __name__ == "__main__":
    main()
