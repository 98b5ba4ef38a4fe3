#!/usr/bin/env python3
"""Anjian on several hosts, for real, on this machine: PostgreSQL primary + streaming replica,
Redis, an S3-compatible store (moto's server: real HTTP, the real SDK), two gunicorn app hosts on
different ports, nginx in front (all Debian packages but moto). Then a short mixed load and the
checks a province's deployment depends on:

1. a write through one host is read through the other at once (the writer is pinned to the
   primary for a moment after a write, through the shared cache);
2. a session signed in on one host is valid on the other (sessions in Redis);
3. the regulator's dashboard on both hosts changes after a write (one result-cache generation in
   Redis; the dashboard reads the replica, which streams the write within moments);
4. a photo uploaded through one host is served by the other (a redirect to a signed URL of the
   store, which answers the same JPEG);
5. killing one app host in the middle of a load loses no acknowledged write (every 201 is in
   the primary afterwards, and on the replica).

    .venv/bin/python scripts/multihost.py            # prints the hosts and each check; exit 1 on a failure

Run as root (CI) or as a user who may run nginx on unprivileged ports. docs/deployment.md shows its
output.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from anjian.core.testing.pgserver import (  # noqa: E402
    SERVER_USER,
    _as_server_user,
    _run,
    free_port,
    throwaway_postgres,
)

PY = str(ROOT / ".venv" / "bin" / "python")
VENV_BIN = ROOT / ".venv" / "bin"
PASSWORD = "Anjian@2026"  # noqa: S105 - the demo accounts' (accounts.demo)
BUCKET = "anjian-media"
LOAD_SECONDS = 12
results: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    results.append((name, ok, detail))
    print(f"  {'PASS' if ok else 'FAIL'}  {name}{'  — ' + detail if detail else ''}", flush=True)


def wait_http(url: str, seconds: float = 60, ok=(200, 302, 401, 403, 404)) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2, allow_redirects=False).status_code in ok:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def jpeg(colour=(200, 40, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, format="JPEG")
    return out.getvalue()


@contextlib.contextmanager
def replica_of(primary, root: Path):
    """A hot standby streaming from ``primary`` (pg_basebackup -R), listening on 127.0.0.1."""
    prefix = _as_server_user()
    datadir, log = root / "replica", root / "replica.log"
    port = free_port()
    if prefix:
        shutil.chown(root, user=SERVER_USER, group=None)
    _run(
        [
            *prefix,
            str(primary.bindir / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            SERVER_USER,
            "-D",
            str(datadir),
            "-R",
            "-X",
            "stream",
            "--no-sync",
        ],
        what="pg_basebackup",
    )
    opts = f"-k {root} -p {port} -c listen_addresses='127.0.0.1' -c hot_standby=on"
    pg_ctl = [*prefix, str(primary.bindir / "pg_ctl"), "-D", str(datadir)]
    _run([*pg_ctl, "-l", str(log), "-w", "-t", "60", "-o", opts, "start"], what="replica start", log=log)
    try:
        yield port
    finally:
        with contextlib.suppress(Exception):
            _run([*pg_ctl, "-m", "immediate", "-w", "-t", "30", "stop"], what="replica stop")


class Processes:
    def __init__(self, root: Path):
        self.root, self.procs = root, {}

    def start(self, name: str, cmd: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.root / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        self.procs[name] = proc
        return proc

    def kill(self, name: str) -> None:
        proc = self.procs.get(name)
        if proc and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def stop_all(self) -> None:
        for name, proc in reversed(list(self.procs.items())):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.kill(name)

    def tail(self, name: str, lines: int = 20) -> str:
        path = self.root / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


NGINX_CONF = """
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {root}/nginx-body;
    proxy_temp_path {root}/nginx-proxy;
    fastcgi_temp_path {root}/nginx-fcgi;
    uwsgi_temp_path {root}/nginx-uwsgi;
    scgi_temp_path {root}/nginx-scgi;
    client_max_body_size 30m;
    upstream anjian {{
        server 127.0.0.1:{a} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=30s;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://anjian;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto http;
            proxy_next_upstream error timeout;   # POST is not retried on another host (non-idempotent)
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


def token(base: str, username: str) -> dict:
    r = requests.post(f"{base}/api/v1/auth/token/", json={"username": username, "password": PASSWORD}, timeout=10)
    r.raise_for_status()
    return {"Authorization": f"Token {r.json()['token']}"}


def report(base: str, headers: dict, title: str, photo: bytes | None = None) -> requests.Response:
    files = [("photos", ("scene.jpg", photo or jpeg(), "image/jpeg"))]
    data = {"title": title, "location": "门诊楼一层配电间", "category": "electrical", "description": "多主机测试"}
    return requests.post(f"{base}/api/v1/hazards/", data=data, files=files, headers=headers, timeout=20)


def dashboard_total(base: str, headers: dict) -> int:
    r = requests.get(f"{base}/api/v1/stats/hazards/", headers=headers, timeout=20)
    r.raise_for_status()
    return int(r.json()["figures"]["found"])


def main() -> int:
    for tool in ("nginx", "redis-server"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            print(f"{tool} is missing: apt-get install nginx-light redis-server", file=sys.stderr)
            return 2
    root = Path(tempfile.mkdtemp(prefix="anjian-multihost-"))
    root.chmod(0o711)  # the replica's cluster below it belongs to the postgres user
    procs = Processes(root)
    started = time.monotonic()
    try:
        with throwaway_postgres(tcp=True, settings={"wal_level": "replica", "max_wal_senders": "5"}) as pg:
            (root / "pg").mkdir()
            with replica_of(pg, root / "pg") as replica_port:
                primary_url = f"postgres://{pg.user}@127.0.0.1:{pg.port}/{pg.dbname}"
                replica_url = f"postgres://{pg.user}@127.0.0.1:{replica_port}/{pg.dbname}"
                redis_port, s3_port, port_a, port_b, port_front = (free_port() for _ in range(5))
                procs.start(
                    "redis",
                    [
                        "redis-server",
                        "--port",
                        str(redis_port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                    ],
                )
                procs.start("s3", [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)])
                wait_http(f"http://127.0.0.1:{s3_port}/", ok=(200,))
                import boto3

                s3 = boto3.client(
                    "s3",
                    endpoint_url=f"http://127.0.0.1:{s3_port}",
                    aws_access_key_id="anjian",
                    aws_secret_access_key="anjian-secret",  # noqa: S106 - the local store's
                    region_name="us-east-1",
                )
                s3.create_bucket(Bucket=BUCKET)
                env = {
                    **os.environ,
                    "DEBUG": "false",
                    "ANJIAN_EMBEDDED": "true",  # plain http on this machine, demo password allowed
                    "SECRET_KEY": "multihost-" + "x" * 50,
                    "ANJIAN_VAR_DIR": str(root / "var"),
                    "DATABASE_URL": primary_url,
                    "DATABASE_REPLICA_URL": replica_url,
                    "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                    "S3_BUCKET": BUCKET,
                    "S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
                    "S3_ACCESS_KEY_ID": "anjian",
                    "S3_SECRET_ACCESS_KEY": "anjian-secret",
                    "S3_REGION": "us-east-1",
                    "S3_ADDRESSING_STYLE": "path",
                    "ALLOWED_HOSTS": "127.0.0.1,localhost",
                    "GUNICORN_WORKERS": "2",
                    "RESULT_CACHE_SECONDS": "60",
                    "TRUSTED_PROXIES": "127.0.0.1",  # nginx: its X-Forwarded-For names the client
                }
                t = time.monotonic()
                subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
                subprocess.run([PY, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, capture_output=True)
                subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
                print(f"database migrated and demo seeded in {time.monotonic() - t:.0f} s", flush=True)
                for name, port in (("host_a", port_a), ("host_b", port_b)):
                    procs.start(
                        name,
                        [str(VENV_BIN / "gunicorn"), "-c", "src/anjian/gunicorn.conf.py", "anjian.wsgi"],
                        env={**env, "PORT": str(port), "PYTHONPATH": str(ROOT / "src")},
                    )
                conf = root / "nginx.conf"
                conf.write_text(NGINX_CONF.format(root=root, a=port_a, b=port_b, port=port_front))
                procs.start("nginx", ["nginx", "-c", str(conf), "-p", str(root), "-g", "daemon off;"])
                a, b, front = (f"http://127.0.0.1:{p}" for p in (port_a, port_b, port_front))
                for url in (a, b, front):
                    wait_http(f"{url}/healthz", ok=(200,))
                print("hosts:", flush=True)
                print(
                    f"  PostgreSQL {pg.version} primary 127.0.0.1:{pg.port}, streaming replica 127.0.0.1:{replica_port}"
                )
                print(f"  Redis 127.0.0.1:{redis_port} (cache, sessions, replica pins)")
                print(f"  S3 (moto server) 127.0.0.1:{s3_port}, bucket {BUCKET}")
                print(
                    f"  app host A gunicorn 127.0.0.1:{port_a}, app host B gunicorn 127.0.0.1:{port_b} (2 workers each)"
                )
                print(f"  nginx 127.0.0.1:{port_front} → A, B")
                print("checks:", flush=True)
                run_checks(a, b, front, procs, primary=pg, replica_port=replica_port)
    except Exception as exc:
        check("setup", False, f"{type(exc).__name__}: {exc}")
        for name in procs.procs:
            print(f"--- {name} ---\n{procs.tail(name)}", file=sys.stderr)
    finally:
        procs.stop_all()
        shutil.rmtree(root, ignore_errors=True)
    failed = [name for name, ok, _ in results if not ok]
    print(f"{len(results) - len(failed)} of {len(results)} checks passed in {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


def run_checks(a: str, b: str, front: str, procs: Processes, *, primary, replica_port: int) -> None:
    # one token per person (a new one replaces the old): the officer's issued by A, the regulator's by B
    officer, regulator = token(a, "hospital_officer"), token(b, "regulator")

    # 3 (before): the regulator's dashboard on both hosts, counted and cached
    before = (dashboard_total(a, regulator), dashboard_total(b, regulator))

    # 1. written through A, read through B at once (the writer's reads pinned to the primary)
    photo = jpeg((30, 120, 200))
    r = report(a, officer, "多主机：配电间线路老化", photo)
    created = r.status_code == 201
    hazard = r.json() if created else {}
    seen = requests.get(f"{b}/api/v1/hazards/{hazard.get('id', 0)}/", headers=officer, timeout=10)
    check(
        "a write through host A is read through host B at once",
        created and seen.status_code == 200 and seen.json().get("number") == hazard.get("number"),
        f"hazard {hazard.get('number')}: report {r.status_code}, read on B {seen.status_code}",
    )

    # 2. a session signed in on A is valid on B
    session = requests.Session()
    login = session.get(f"{a}/accounts/login/", timeout=10)
    csrf = session.cookies.get("csrftoken")
    login = session.post(
        f"{a}/accounts/login/",
        data={"username": "hospital_officer", "password": PASSWORD, "csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{a}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    page = session.get(f"{b}/hazards/", allow_redirects=False, timeout=10)
    check(
        "a session signed in on host A is valid on host B",
        login.status_code == 302 and page.status_code == 200 and hazard.get("number", "?") in page.text,
        f"login {login.status_code}, ledger on B {page.status_code}",
    )

    # 3. both hosts' dashboards change after the write (the replica streams it within moments)
    deadline, after = time.monotonic() + 5, before
    t = time.monotonic()
    while time.monotonic() < deadline:
        after = (dashboard_total(a, regulator), dashboard_total(b, regulator))
        if after == (before[0] + 1, before[1] + 1):
            break
        time.sleep(0.05)
    check(
        "the regulator's dashboard changes on both hosts after the write",
        after == (before[0] + 1, before[1] + 1),
        f"found {before} → {after}, in {1000 * (time.monotonic() - t):.0f} ms",
    )

    # 4. the photo uploaded through A is served by B (a signed URL of the store)
    photo_id = hazard.get("photos", [{}])[0].get("id", 0)
    url = f"/api/v1/hazards/{hazard.get('id', 0)}/photos/{photo_id}/image/"
    via_b = requests.get(f"{b}{url}", headers=officer, allow_redirects=False, timeout=10)
    location = via_b.headers.get("Location", "")
    fetched = requests.get(location, timeout=10) if location else None
    stored_ok = fetched is not None and fetched.status_code == 200 and fetched.content[:3] == b"\xff\xd8\xff"
    via_a = requests.get(f"{a}{url}", headers=officer, timeout=10)
    check(
        "a photo uploaded through host A is served by host B",
        via_b.status_code == 302
        and "X-Amz-Signature=" in location
        and stored_ok
        and via_a.status_code == 200
        and via_a.content == fetched.content,
        f"B answers {via_b.status_code} → signed URL of the store, {len(fetched.content) if fetched else 0} bytes",
    )
    outsider = requests.get(f"{b}{url}", headers=token(b, "clinic_officer"), allow_redirects=False, timeout=10)
    check("another institution's user gets no URL for it", outsider.status_code == 404)

    # 5. a mixed load through nginx; host A killed halfway; no acknowledged write lost
    acknowledged, refused, reads = [], [], [0]
    lock, stop = threading.Lock(), threading.Event()
    front_token = token(front, "hospital_officer")

    def writer(n: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            try:
                r = report(front, front_token, f"负载-{n}-{i}")
            except requests.RequestException as exc:
                with lock:
                    refused.append(type(exc).__name__)
                continue
            with lock:
                (acknowledged.append(r.json()["id"]) if r.status_code == 201 else refused.append(r.status_code))

    def reader() -> None:
        while not stop.is_set():
            with contextlib.suppress(requests.RequestException):
                requests.get(f"{front}/api/v1/hazards/?page_size=20", headers=front_token, timeout=20)
                requests.get(f"{front}/api/v1/stats/hazards/", headers=regulator, timeout=20)
                with lock:
                    reads[0] += 2

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)] + [threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    time.sleep(LOAD_SECONDS / 2)
    procs.kill("host_a")
    killed_at = len(acknowledged)
    time.sleep(LOAD_SECONDS / 2)
    stop.set()
    for thread in threads:
        thread.join(60)
    ids = ",".join(str(i) for i in acknowledged) or "0"
    count = f"SELECT count(*) FROM hazards_hazard WHERE id IN ({ids})"  # noqa: S608 - ids are ints the API answered
    on_primary = int(primary.psql(count, dbname=primary.dbname))
    time.sleep(1)
    replica = subprocess.run(
        [
            str(primary.bindir / "psql"),
            "-X",
            "-q",
            "-A",
            "-t",
            "-h",
            "127.0.0.1",
            "-p",
            str(replica_port),
            "-U",
            SERVER_USER,
            "-d",
            primary.dbname,
            "-c",
            count,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    on_replica = int(replica.stdout.strip())
    after_kill = requests.get(
        f"{front}/api/v1/hazards/{acknowledged[-1] if acknowledged else 0}/", headers=front_token, timeout=10
    )
    check(
        "killing host A mid-load loses no acknowledged write",
        len(acknowledged) > killed_at > 0
        and on_primary == len(acknowledged) == on_replica
        and after_kill.status_code == 200,
        f"{len(acknowledged)} reports acknowledged ({killed_at} before the kill), {on_primary} on the primary, "
        f"{on_replica} on the replica; {len(refused)} refused while A went down; {reads[0]} reads "
        f"in {LOAD_SECONDS} s",
    )


if __name__ == "__main__":
    sys.exit(main())
