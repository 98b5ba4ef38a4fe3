"""A cheap Argon2 for the test suite.

Production hashes passwords with Django's Argon2PasswordHasher (100 MiB, ~0.1 s a hash: that is
the point). The suite makes hundreds of accounts, so conftest.py puts this hasher first: the same
algorithm and the same ``argon2$`` format, with the smallest cost. It is never in settings.py.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64  # KiB
    parallelism = 1
