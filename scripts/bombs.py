#!/usr/bin/env python3
"""Measure what a decompression bomb costs a worker: time and memory growth of the real upload
paths, each in a fresh process, on a throwaway SQLite database.

    .venv/bin/python scripts/bombs.py            the 13000×13000 PNG photo and the 1,000 MiB shared-strings xlsx
    .venv/bin/python scripts/bombs.py --mib 200  a smaller shared-strings bomb

Target (issue "Security and reliability"): each refused in under a second with under 50 MB of
growth. Prints one line per bomb: size on the wire, answer, seconds, RSS growth (peak - before).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from anjian.core.testing.bombs import png_bomb, shared_strings_bomb  # noqa: E402

MB = 1024 * 1024


def small_file(kind: str) -> bytes:
    """An ordinary upload of the same kind, for the warm-up request."""
    out = io.BytesIO()
    if kind == "png":
        from PIL import Image

        Image.new("RGB", (640, 480), (90, 140, 200)).save(out, format="PNG")
    else:
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.append(["姓名", "用户名", "角色"])
        wb.save(out)
    return out.getvalue()


def status_mb(field: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Linux: start the peak (VmHWM) afresh from the current RSS, so it measures the request alone."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def child(kind: str, path: str) -> None:
    """In a fresh process: set up Django on a throwaway database, then post the file as a user would."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anjian.core.testing.factories import api_client
    from anjian.core.testing.world import build_world

    world = build_world()
    data = Path(path).read_bytes()
    api = api_client(world.officer_a)

    def post(content: bytes):
        if kind == "png":
            from anjian.hazards.tests.helpers import category

            upload = SimpleUploadedFile("bomb.png", content, content_type="image/png")
            body = {
                "organization": world.hospital_a.pk,
                "title": "测试",
                "location": "一楼",
                "category": category().code,
            }
            return api.post("/api/v1/hazards/", {**body, "photos": [upload]}, format="multipart")
        upload = SimpleUploadedFile("人员.xlsx", content, content_type="application/octet-stream")
        return api.post("/api/v1/imports/staff/", {"file": upload}, format="multipart")

    post(small_file(kind))  # warm up: the first request of a process imports and builds what every request uses
    reset_peak()
    before = status_mb("VmRSS")
    started = time.monotonic()
    response = post(data)
    seconds = time.monotonic() - started
    peak = status_mb("VmHWM")
    print(
        json.dumps(
            {
                "status": response.status_code,
                "answer": str(response.content[:200], "utf-8", "replace"),
                "seconds": round(seconds, 3),
                "growth_mb": round(peak - before, 1),
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mib", type=int, default=1000, help="inflated size of the shared strings (MiB)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory(prefix="anjian-bombs-") as tmp:
        for kind, label, make in (
            ("png", "PNG 13000×13000 (1-bit) as a hazard photo", png_bomb),
            (
                "xlsx",
                f"xlsx whose shared strings inflate to {args.mib} MiB, staff import",
                lambda: shared_strings_bomb(args.mib),
            ),
        ):
            path = Path(tmp) / kind
            path.write_bytes(make())
            env = dict(
                os.environ,
                DJANGO_SETTINGS_MODULE="anjian.settings",
                ANJIAN_VAR_DIR=str(Path(tmp) / f"var-{kind}"),
                MEDIA_ROOT=str(Path(tmp) / "media"),
                CACHE_LOCATION="memory",
                ALLOWED_HOSTS="testserver",
                PYTHONPATH=str(ROOT / "src"),
            )
            env.pop("DATABASE_URL", None)
            out = subprocess.run(
                [sys.executable, __file__, "--child", kind, str(path)],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode:
                print(out.stderr[-2000:], file=sys.stderr)
                return 1
            result = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{label}: {path.stat().st_size / 1024:.0f} KB on the wire → HTTP {result['status']} in "
                f"{result['seconds']:.3f} s, RSS growth {result['growth_mb']:.1f} MB"
            )
            print(f"    {result['answer']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
