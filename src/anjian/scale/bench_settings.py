"""The production settings, for ``scripts/bench.py``: one difference, the static files storage.

``collectstatic`` with the production storage stops at ``tabler.min.css``/``.js``, whose
``sourceMappingURL`` names a ``.map`` file the asset build does not copy. The bench serves the same
hashed, compressed files, only without rewriting source-map comments.
"""

from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage

from anjian.settings import *  # noqa: F403


class BenchStaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(
        (glob, tuple(p for p in pats if "sourceMappingURL" not in (p[0] if isinstance(p, tuple) else p)))
        for glob, pats in HashedFilesMixin.patterns
    )


STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "anjian.scale.bench_settings.BenchStaticFilesStorage"}}  # noqa: F405
