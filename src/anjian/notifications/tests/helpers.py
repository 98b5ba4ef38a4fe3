"""Test helpers: a local HTTP receiver standing in for the robots' webhooks, the worker run
in-process (django-tasks-db's own Worker, in batch mode: every task due, then it stops), hazards
made through the hazards services."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardLevel
from anjian.hazards.tests.helpers import general_plan, major_plan, report


def run_worker() -> None:
    """django-tasks-db's worker, in this process: runs every task due now, then returns. The tasks
    queue their follow-ups on commit (``delivery.enqueue``): inside the test's transaction, those
    callbacks are run at the end of each round, and the worker runs again while they queue more."""
    from unittest import mock

    from django.test import TestCase

    # The worker tidies the database connections between tasks (close_old_connections), which on
    # PostgreSQL closes the test's open transaction; in this process the test's connection is its.
    tidy = mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    while True:
        with tidy, TestCase.captureOnCommitCallbacks(execute=True) as queued:
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="test-worker",
                excluded_queue_names=[],
            ).run()
        if not queued:
            return


class Receiver:
    """An HTTP server in a thread that records each POST (path, query, JSON body) and answers like
    WeCom (errcode 0). Its port is chosen at once; ``start`` may come later (a channel that is down)."""

    def __init__(self, *, start: bool = True):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.posts: list[dict] = []
        self.server = None
        if start:
            self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                posts.append({"path": parts.path, "query": parse_qs(parts.query), "json": json.loads(raw)})
                body = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # Aliyun's RPC API: the request is the signed query string
                parts = urlsplit(self.path)
                posts.append({"method": "GET", "path": parts.path, "query": parse_qs(parts.query), "raw": parts.query})
                body = json.dumps({"Code": "OK", "Message": "OK", "BizId": "900001"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def open_hazard(by, organization, *, level=HazardLevel.GENERAL, deadline_in: int = 7, responsible=None, **extra):
    """A hazard reported and confirmed with a plan whose deadline is ``deadline_in`` days away."""
    hazard = report(by, organization, level=level, **extra)
    who = responsible or by
    plan = major_plan(who) if level == HazardLevel.MAJOR else general_plan(who)
    plan["deadline"] = timezone.localdate() + dt.timedelta(days=deadline_in)
    return hazard_services.hazard_confirm(hazard=hazard, by=by, plan=plan)


def supervise(hazard, by, *, days: int = 15, number: str = "甲督〔2026〕7号"):
    return hazard_services.hazard_supervise(
        hazard=hazard,
        by=by,
        level="district",
        deadline=timezone.localdate() + dt.timedelta(days=days),
        notice_number=number,
    )


def committed(fn, *args, **kwargs):
    """``fn`` as if its transaction committed: the delivery tasks it queues on commit are queued."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return fn(*args, **kwargs)
