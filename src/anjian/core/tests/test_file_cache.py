"""The file cache of one host (``core.cache.FileCache``): it looks at its directory only now and then
to cull, yet stays near its size limit, and what is in it is read back as it was written."""

from django.core.cache.backends.base import DEFAULT_TIMEOUT

from anjian.core.cache import CULL_EVERY, FileCache


def test_the_directory_stays_near_its_limit_and_values_read_back(tmp_path):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 4 * CULL_EVERY, "CULL_FREQUENCY": 3}})
    for n in range(20 * CULL_EVERY):
        cache.set(f"key-{n}", {"n": n}, DEFAULT_TIMEOUT)
    files = list(tmp_path.glob("*.djcache"))
    # Django's culls at every set (stays under the limit); this one once every CULL_EVERY sets
    assert 0 < len(files) <= 5 * CULL_EVERY
    last = 20 * CULL_EVERY - 1
    assert cache.get(f"key-{last}") == {"n": last}
    assert cache.get("never-set") is None
