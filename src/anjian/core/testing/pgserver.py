"""A throwaway PostgreSQL cluster from Debian's binaries, for the test suite and the benchmarks.

No system service is needed: the cluster lives in a temporary directory, listens only on a Unix
socket in that directory, runs without fsync (its data is thrown away), and is stopped and removed
when the ``with`` block ends, whatever happened inside it::

    from anjian.core.testing.pgserver import throwaway_postgres

    with throwaway_postgres() as pg:
        os.environ["DATABASE_URL"] = pg.url   # postgres://anjian@%2Ftmp%2F...:PORT/anjian
        ...

``initdb`` refuses to run as root, so when we are root (as CI is) every server command runs as
Debian's ``postgres`` user through ``runuser``, in a directory owned by that user. The role made
for the tests may create databases: pytest-django creates ``test_<name>`` itself.

Run it on its own to get a cluster for a while: ``python -m anjian.core.testing.pgserver``
prints the DATABASE_URL and keeps the server up until Ctrl-C.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

SERVER_USER = "postgres"  # the account Debian's postgresql package creates
BIN_GLOB = "/usr/lib/postgresql/*/bin"


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server binaries are missing or the cluster could not start."""


@dataclass(frozen=True)
class PgServer:
    """A running cluster: where its socket is and how to reach the database made for us."""

    bindir: Path
    datadir: Path
    socket_dir: Path
    port: int
    user: str
    dbname: str

    @property
    def url(self) -> str:
        """A DATABASE_URL for dj-database-url (the socket directory as a percent-encoded host)."""
        return f"postgres://{self.user}@{quote(str(self.socket_dir), safe='')}:{self.port}/{self.dbname}"

    @property
    def version(self) -> str:
        return self.bindir.parent.name

    def psql(self, sql: str, *, dbname: str | None = None, user: str = SERVER_USER) -> str:
        """Run SQL with psql as a superuser (or ``user``); returns what psql printed."""
        cmd = [str(self.bindir / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        cmd += ["-h", str(self.socket_dir), "-p", str(self.port), "-U", user, "-d", dbname or self.dbname, "-c", sql]
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout  # noqa: S603 - our psql


def find_bindir() -> Path:
    """The newest PostgreSQL server installed by Debian's packages (``/usr/lib/postgresql/N/bin``)."""
    candidates = []
    for path in glob.glob(BIN_GLOB):
        bindir = Path(path)
        match = re.fullmatch(r"\d+(\.\d+)?", bindir.parent.name)
        if match and (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            candidates.append((tuple(int(p) for p in bindir.parent.name.split(".")), bindir))
    if not candidates:
        raise PostgresUnavailable(
            f"no PostgreSQL server binaries under {BIN_GLOB}: install Debian's package "
            "(apt-get install postgresql) or run .ci/run"
        )
    return max(candidates)[1]


def free_port() -> int:
    """A TCP port nobody listens on now (the socket file's name carries it, too)."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user() -> list[str]:
    """The prefix that runs a command as the cluster's owner: ``runuser -u postgres --`` for root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser") is None:
        raise PostgresUnavailable("running as root but runuser (util-linux) is missing")
    try:
        import pwd

        pwd.getpwnam(SERVER_USER)
    except KeyError as exc:
        raise PostgresUnavailable(
            f"running as root but there is no '{SERVER_USER}' user: install Debian's postgresql package"
        ) from exc
    return ["runuser", "-u", SERVER_USER, "--"]


def _run(cmd: list[str], *, what: str, log: Path | None = None) -> None:
    # A new session, so that Ctrl-C in the terminal reaches the test run but not the server:
    # the ``finally`` of throwaway_postgres stops the server itself.
    proc = subprocess.run(cmd, capture_output=True, text=True, start_new_session=True, check=False)  # noqa: S603
    if proc.returncode != 0:
        tail = ""
        if log is not None and log.exists():
            tail = "\n--- server log ---\n" + "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise PostgresUnavailable(f"{what} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}{tail}")


@contextlib.contextmanager
def throwaway_postgres(
    *,
    user: str = "anjian",
    dbname: str = "anjian",
    port: int | None = None,
    tcp: bool = False,
    settings: dict[str, str] | None = None,
) -> Iterator[PgServer]:
    """Start a private cluster, make ``user`` (LOGIN CREATEDB) and ``dbname``, yield it, then remove it.

    ``tcp=True`` also listens on 127.0.0.1 (for tools that cannot use a socket); ``settings`` adds
    ``-c name=value`` server settings (a benchmark may want ``shared_buffers``, say).
    """
    bindir = find_bindir()
    prefix = _as_server_user()
    port = port or free_port()
    root = Path(tempfile.mkdtemp(prefix="anjian-pg-"))
    datadir, log = root / "data", root / "server.log"
    started = False
    try:
        if prefix:
            shutil.chown(root, user=SERVER_USER, group=None)
        _run(
            [
                *prefix,
                str(bindir / "initdb"),
                "-D",
                str(datadir),
                "-U",
                SERVER_USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
                "--no-instructions",
            ],
            what="initdb",
        )
        options = {
            "listen_addresses": "'127.0.0.1'" if tcp else "''",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "100",
            **(settings or {}),
        }
        server_opts = f"-k {root} -p {port} " + " ".join(f"-c {k}={v}" for k, v in options.items())
        pg_ctl = [*prefix, str(bindir / "pg_ctl"), "-D", str(datadir)]
        _run(
            [*pg_ctl, "-l", str(log), "-w", "-t", "60", "-o", server_opts, "start"],
            what="pg_ctl start",
            log=log,
        )
        started = True
        server = PgServer(bindir=bindir, datadir=datadir, socket_dir=root, port=port, user=user, dbname=dbname)
        try:
            server.psql(f'CREATE ROLE "{user}" LOGIN CREATEDB', dbname="postgres")
            server.psql(f'CREATE DATABASE "{dbname}" OWNER "{user}"', dbname="postgres")
        except subprocess.CalledProcessError as exc:
            raise PostgresUnavailable(f"creating the role and database failed: {exc.stderr}") from exc
        yield server
    finally:
        if started:
            with contextlib.suppress(PostgresUnavailable):
                _run([*pg_ctl, "-m", "immediate", "-w", "-t", "30", "stop"], what="pg_ctl stop")
        shutil.rmtree(root, ignore_errors=True)


def _wait_forever(server: PgServer) -> None:
    print(f"PostgreSQL {server.version} is up; Ctrl-C stops and removes it.")
    print(f"DATABASE_URL={server.url}", flush=True)
    while True:
        time.sleep(3600)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGTERM, _interrupt)  # stop and remove the cluster on kill, too
    try:
        with throwaway_postgres() as pg:
            _wait_forever(pg)
    except KeyboardInterrupt:
        sys.exit(0)
    except PostgresUnavailable as exc:
        sys.exit(str(exc))
