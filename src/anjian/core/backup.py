"""Backup and restore: the database as a dump, the media files, and a manifest that proves both.

A backup is one directory::

    manifest.json         format, time, database vendor, row counts per table, the audit chain's
                          head, the applied migrations, and the SHA-256 and size of every file below
    database.dump         PostgreSQL: ``pg_dump --format=custom`` (restored with ``pg_restore``)
    database.sqlite3      SQLite: a copy made with SQLite's online backup API
    media/…               the uploaded files (photos, attachments), as under MEDIA_ROOT

On PostgreSQL the row counts and the audit head are read in the very snapshot ``pg_dump`` dumps
(``pg_export_snapshot`` in a REPEATABLE READ transaction, ``pg_dump --snapshot``), on SQLite from
the copy itself, so the manifest describes exactly what the dump holds while the site keeps
running. The database is dumped before the media are copied: files are only ever added, so every
file a dumped row names is in the copy (a photo uploaded meanwhile may be there too, harmlessly).

A restore checks every checksum before it touches anything, refuses a database that has tables
(or a MEDIA_ROOT that has files) unless forced, restores, then counts the rows of every table
against the manifest and verifies the audit chain.

Object storage (django-storages) is not copied here: keep it versioned or replicated by the
storage itself.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from anjian.core import integrity

FORMAT = "anjian-backup/1"
MANIFEST = "manifest.json"
PG_DUMP_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why (the commands print it)."""


Log = Callable[[str], None]


def _quiet(message: str) -> None:
    return None


# --- files ----------------------------------------------------------------------------------------
def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(source: Path, dest: Path) -> tuple[str, int]:
    """Copy a file, returning the SHA-256 and size of what was read (and written)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as src, open(dest, "wb") as out:
        for chunk in iter(lambda: src.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    shutil.copystat(source, dest)
    return digest.hexdigest(), size


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# --- PostgreSQL's tools ---------------------------------------------------------------------------
def pg_tool(name: str) -> str:
    """``pg_dump`` / ``pg_restore``: from PG_BINDIR if set, else the PATH, else Debian's newest
    ``/usr/lib/postgresql/N/bin``. It must be at least as new as the server."""
    bindir = getattr(settings, "PG_BINDIR", None) or os.environ.get("PG_BINDIR")
    if bindir:
        path = Path(bindir) / name
        if not path.exists():
            raise BackupError(f"{path} does not exist (PG_BINDIR)")
        return str(path)
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: [int(x) for x in re.findall(r"\d+", Path(p).parent.parent.name)],
    )
    if candidates:
        return candidates[-1]
    raise BackupError(f"{name} not found: install PostgreSQL's client programs or set PG_BINDIR")


def pg_environment(settings_dict: dict) -> dict[str, str]:
    """libpq's environment variables for a Django database's settings (no password on a command line)."""
    env = dict(os.environ)
    pairs = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(key):
            pairs[f"PG{key.upper()}"] = options[key]
    for key, value in pairs.items():
        if value not in (None, ""):
            env[key] = str(value)
        else:
            env.pop(key, None)
    return env


def _run(cmd: list[str], *, env: dict[str, str], what: str) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - PostgreSQL's tools
    if proc.returncode != 0:
        raise BackupError(f"{what} failed (exit {proc.returncode}): {(proc.stderr or proc.stdout).strip()[-2000:]}")


# --- what a database holds ------------------------------------------------------------------------
def _quote(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def table_counts(using: str = "default") -> dict[str, int]:
    """Rows per table of a database Django connects to (in the current transaction's snapshot)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(connection, table)}")  # noqa: S608 - introspected names
            counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def _audit_head(cursor) -> dict:
    cursor.execute("SELECT COUNT(*) FROM core_auditevent")
    count = cursor.fetchone()[0]
    cursor.execute("SELECT id, hash FROM core_auditevent ORDER BY id DESC LIMIT 1")
    row = cursor.fetchone()
    return {"events": count, "head_id": row[0] if row else None, "head_hash": row[1] if row else ""}


def _migrations(cursor) -> dict[str, str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = max(latest.get(app, ""), name)
    return latest


# --- backup ---------------------------------------------------------------------------------------
def make_backup(target: Path, *, using: str = "default", media_root: Path | None = None, log: Log = _quiet) -> dict:
    """Write a backup of the database ``using`` and of MEDIA_ROOT into ``target`` (a new or empty
    directory); returns the manifest."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} exists and is not an empty directory")
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("a backup must not run inside a transaction")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(target, 0o700)  # the dump holds personal data and password hashes
    files: dict[str, dict] = {}

    if connection.vendor == "postgresql":
        db_file = PG_DUMP_FILE
        database = _dump_postgresql(connection, target / db_file, log=log)
    elif connection.vendor == "sqlite":
        db_file = SQLITE_FILE
        database = _copy_sqlite(connection, target / db_file, log=log)
    else:
        raise BackupError(f"backups of {connection.vendor} databases are not supported")
    path = target / db_file
    files[db_file] = {"sha256": sha256_of(path), "bytes": path.stat().st_size}

    root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    media_bytes = 0
    for source in _media_files(root):
        rel = source.relative_to(root).as_posix()
        try:
            digest, size = _copy_hashing(source, target / MEDIA_DIR / rel)
        except FileNotFoundError:  # removed while we copied (a temporary file): not part of the backup
            continue
        files[f"{MEDIA_DIR}/{rel}"] = {"sha256": digest, "bytes": size}
        media_bytes += size
    log(f"media: {len(files) - 1} files, {media_bytes} bytes from {root}")

    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor, "file": db_file, **database},
        "media": {"root": str(root), "files": len(files) - 1, "bytes": media_bytes},
        "files": files,
    }
    partial = target / f"{MANIFEST}.part"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    partial.replace(target / MANIFEST)  # a backup without its manifest is an unfinished one
    return manifest


def _dump_postgresql(connection, path: Path, *, log: Log) -> dict:
    """pg_dump and the counts, in one snapshot."""
    env = pg_environment(connection.settings_dict)
    connection.ensure_connection()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        cmd = [pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={path}"]
        _run(cmd, env=env, what="pg_dump")
        log(f"database: pg_dump of {connection.settings_dict['NAME']} ({path.stat().st_size} bytes)")
        counts = table_counts(connection.alias)
        audit = _audit_head(cursor)
        migrations = _migrations(cursor)
    return {"tables": counts, "rows": sum(counts.values()), "audit": audit, "migrations": migrations}


def _copy_sqlite(connection, path: Path, *, log: Log) -> dict:
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, whatever the source's mode
        counts = _sqlite_counts(copy)
        cursor = copy.cursor()
        audit = _audit_head(cursor)
        migrations = _migrations(cursor)
    finally:
        copy.close()
    log(f"database: SQLite backup of {connection.settings_dict['NAME']} ({path.stat().st_size} bytes)")
    return {"tables": counts, "rows": sum(counts.values()), "audit": audit, "migrations": migrations}


# --- restore --------------------------------------------------------------------------------------
def load_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.exists():
        raise BackupError(f"{path} is missing: not a backup, or an unfinished one")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BackupError(f"{path} is not valid JSON: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown format {manifest.get('format')!r} (expected {FORMAT})")
    return manifest


def checksum_problems(source: Path, manifest: dict) -> list[str]:
    """Every file of the manifest that is missing or differs (size, then SHA-256)."""
    problems = []
    for rel, expected in sorted(manifest["files"].items()):
        path = Path(source) / rel
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            problems.append(f"{rel}: not a path inside the backup")
        elif not path.is_file():
            problems.append(f"{rel}: missing")
        elif path.stat().st_size != expected["bytes"]:
            problems.append(f"{rel}: {path.stat().st_size} bytes, the manifest says {expected['bytes']}")
        elif sha256_of(path) != expected["sha256"]:
            problems.append(f"{rel}: SHA-256 differs from the manifest")
    return problems


@dataclass
class RestoreResult:
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    count_mismatches: list[str] = field(default_factory=list)
    audit: integrity.ChainReport | None = None
    audit_head_matches: bool = True

    @property
    def ok(self) -> bool:
        return not self.count_mismatches and self.audit is not None and self.audit.ok and self.audit_head_matches


def restore_backup(
    source: Path,
    *,
    using: str = "default",
    media_root: Path | None = None,
    force: bool = False,
    log: Log = _quiet,
) -> RestoreResult:
    """Restore a backup into the (empty) database ``using`` and MEDIA_ROOT, then prove it."""
    source = Path(source)
    manifest = load_manifest(source)
    problems = checksum_problems(source, manifest)
    if problems:
        shown = "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        raise BackupError(f"the backup is damaged, nothing was restored: {shown}")
    log(f"checksums: all {len(manifest['files'])} files match the manifest")

    connection = connections[using]
    database = manifest["database"]
    if database["vendor"] != connection.vendor:
        raise BackupError(f"a {database['vendor']} backup cannot be restored into a {connection.vendor} database")
    if connection.in_atomic_block:
        raise BackupError("a restore must not run inside a transaction")
    with connection.cursor() as cursor:
        existing = connection.introspection.table_names(cursor)
    root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    present = _media_files(root)
    if (existing or present) and not force:
        raise BackupError(
            f"the target is not empty ({len(existing)} tables in the database, {len(present)} files in {root}): "
            "restore into an empty database and MEDIA_ROOT, or pass --force to replace what is there"
        )

    if connection.vendor == "postgresql":
        cmd = [pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction"]
        if existing:
            cmd += ["--clean", "--if-exists"]
        cmd += [f"--dbname={connection.settings_dict['NAME']}", str(source / database["file"])]
        connection.close()
        _run(cmd, env=pg_environment(connection.settings_dict), what="pg_restore")
    else:
        _restore_sqlite(connection, source / database["file"])
    log(f"database: restored from {database['file']}")

    result = RestoreResult()
    for rel in manifest["files"]:
        if rel.startswith(f"{MEDIA_DIR}/"):
            _copy_hashing(source / rel, root / rel.removeprefix(f"{MEDIA_DIR}/"))
            result.media_files += 1
    log(f"media: {result.media_files} files into {root}")

    counts = table_counts(using)
    expected = database["tables"]
    result.tables, result.rows = len(counts), sum(counts.values())
    for table in sorted(set(expected) | set(counts)):
        if expected.get(table) != counts.get(table):
            result.count_mismatches.append(
                f"{table}: {counts.get(table)} rows, the manifest says {expected.get(table)}"
            )
    result.audit = integrity.verify(using)
    head = database.get("audit") or {}
    result.audit_head_matches = (result.audit.head_id, result.audit.head_hash) == (
        head.get("head_id"),
        head.get("head_hash", ""),
    )
    return result


def _restore_sqlite(connection, dump: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("cannot restore into an in-memory SQLite database")
    connection.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(name + suffix).unlink(missing_ok=True)
    source = sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    target = sqlite3.connect(name)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
