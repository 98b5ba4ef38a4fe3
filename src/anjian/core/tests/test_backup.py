"""Backup and restore, as an operator runs them: ``manage.py backup``, then ``manage.py restore`` into an
empty database (a new SQLite file, or a new database in the PostgreSQL cluster of the test run) in
another process, and the restored data compared with the original, row counts, files and the
audit chain."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from anjian.core import backup
from anjian.core.audit import AuditVerb, record
from anjian.core.models import AuditEvent
from anjian.orgs import services as org_services

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + "整改前照片".encode()


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def data(transactional_db, world):
    """The world, audit events written by services and record(), and an uploaded photo.

    Committed (``transactional_db``): pg_dump reads the database from another session."""
    for beds in (100, 200, 300):
        org_services.organization_update(organization=world.hospital_a, by=world.regulator_a, data={"bed_count": beds})
    record(actor=world.admin, verb=AuditVerb.USER_LOGGED_IN)
    name = default_storage.save(f"backup-test/{uuid.uuid4().hex}/照片.jpg", ContentFile(PHOTO))
    return {"world": world, "photo": name}


@pytest.fixture
def made(data, tmp_path):
    target = tmp_path / "backup"
    call_command("backup", "--to", str(target))
    return target


@pytest.fixture
def empty_database(tmp_path):
    """A DATABASE_URL of a new, empty database, and a function counting its rows per table."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def count() -> dict[str, int]:
            db = sqlite3.connect(path)
            try:
                return backup._sqlite_counts(db)
            finally:
                db.close()

        yield f"sqlite:///{path}", count
        return
    import psycopg

    params = connection.settings_dict
    name = f"restored_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    host = quote(str(params["HOST"] or ""), safe="")
    auth = quote(params["USER"]) + (f":{quote(params['PASSWORD'])}" if params.get("PASSWORD") else "")
    url = f"postgres://{auth}@{host}:{params['PORT'] or 5432}/{name}"

    def count() -> dict[str, int]:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
            tables = [
                r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            ]
            return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608

    try:
        yield url, count
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_database_with_every_row_file_and_the_audit_chain(
    data, made, empty_database, tmp_path
):
    url, restored_counts = empty_database
    manifest = json.loads((made / "manifest.json").read_text())
    original = backup.table_counts()
    assert manifest["database"]["tables"] == original
    assert manifest["database"]["audit"]["events"] == AuditEvent.objects.count()
    photo = f"media/{data['photo']}"
    assert manifest["files"][photo]["sha256"] == hashlib.sha256(PHOTO).hexdigest()
    for rel, entry in manifest["files"].items():
        assert hashlib.sha256((made / rel).read_bytes()).hexdigest() == entry["sha256"], rel

    media = tmp_path / "restored-media"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media), "CACHE_LOCATION": "memory"}
    restore = manage("restore", "--from", str(made), env=env)

    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "row counts: every table matches the manifest" in restore.stdout
    assert f"audit chain: OK, {AuditEvent.objects.count()} events" in restore.stdout
    assert restored_counts() == original
    assert (media / data["photo"]).read_bytes() == PHOTO
    verify = manage("audit_verify", env=env)  # the operator's check afterwards: the chain verifies
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.startswith(f"OK, {AuditEvent.objects.count()} events")


def test_a_damaged_backup_is_refused_before_anything_is_touched(data, made):
    photo = made / "media" / data["photo"]
    photo.write_bytes(photo.read_bytes()[:-1] + b"X")
    before = backup.table_counts()

    with pytest.raises(CommandError, match=r"damaged.*照片\.jpg: SHA-256 differs"):
        call_command("restore", "--from", str(made))
    assert backup.table_counts() == before


def test_a_database_in_use_is_not_restored_over(made):
    before = backup.table_counts()

    with pytest.raises(CommandError, match="the target is not empty"):
        call_command("restore", "--from", str(made))
    assert backup.table_counts() == before


def test_a_backup_is_written_only_into_a_new_or_empty_directory(transactional_db, tmp_path):
    (tmp_path / "old.txt").write_text("x")

    with pytest.raises(CommandError, match="not an empty directory"):
        call_command("backup", "--to", str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["old.txt"]


def test_an_unfinished_backup_is_refused(tmp_path):
    (tmp_path / "database.sqlite3").write_bytes(b"")

    with pytest.raises(CommandError, match=r"manifest\.json is missing"):
        call_command("restore", "--from", str(tmp_path))
