"""The cache the worker processes of one host share without another server: Django's file cache,
culled less eagerly.

Django's ``FileBasedCache`` lists its whole directory on every ``set`` to decide whether to cull (one
``glob`` over thousands of files); a write to the data renews the result cache's generation tokens
(``core.resultcache.bump``), so every submission paid for two listings, a quarter of its CPU at city
scale. Here a process looks once every ``CULL_EVERY`` sets: the directory may outgrow
``MAX_ENTRIES`` by that many entries per process before a random third of it goes, as Django's does. Several
hosts use Redis (``REDIS_URL``), which culls by itself."""

from __future__ import annotations

import itertools
import random

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 100


class FileCache(FileBasedCache):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # from a random place: a short-lived process (a command, a recycled worker) culls in its turn too
        self._sets = itertools.count(random.randrange(CULL_EVERY))  # noqa: S311 - not a secret

    def _cull(self):
        if next(self._sets) % CULL_EVERY == 0:
            super()._cull()
