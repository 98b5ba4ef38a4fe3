"""gunicorn configuration for production: ``gunicorn -c src/anjian/gunicorn.conf.py anjian.wsgi``."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# "sync": one request at a time per worker, and a busy worker accepts no connection, so requests
# spread evenly over the workers; nginx in front buffers slow clients. Requests are CPU-bound
# Python: threads of one process take turns on its interpreter lock, and a gthread worker keeps
# the keep-alive connections it accepted even while its threads are busy (docs/performance.md).
# GUNICORN_WORKER_CLASS=gthread with GUNICORN_THREADS for many slow clients without nginx.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
# one thread unless gthread is asked for: gunicorn quietly runs a "sync" worker given more than one
# thread as gthread
threads = int(os.environ.get("GUNICORN_THREADS", "2" if worker_class == "gthread" else "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# a worker is replaced after this many requests (a guard against slow leaks); replacing one costs
# a second or two of CPU and slow first requests, so not too often
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190


def post_worker_init(worker):
    """Once a worker has loaded the app: every view imported now rather than on its first request,
    then all that the loading allocated moved out of the garbage collector's sight (``gc.freeze``),
    so that the collections a request triggers walk the request's own objects, not the hundreds of
    thousands of the loaded modules: 0.4–0.5 ms less CPU a submission (docs/performance.md)."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view
    gc.collect()
    gc.freeze()
