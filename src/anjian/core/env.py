"""Reading typed settings from the environment."""

import os
import secrets
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw is None or raw.strip() == "" else int(raw)


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_networks(name: str, default: list[str]) -> list[str]:
    """A comma-separated list of IP addresses or networks ("127.0.0.1,10.0.0.0/24"), each checked."""
    import ipaddress

    entries = env_list(name, default)
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(f"{name}: {entry!r} is not an IP address or network") from None
    return entries


def installation_secret(path: Path) -> str:
    """This installation's own secret key, made once (random, 0600) and read from ``path`` after:
    the embedded run never signs sessions with a key published in the source."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(64)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return key


def unsafe_production_settings(
    *,
    secret_key: str,
    dev_secret: str,
    allowed_hosts: list[str],
    database: dict,
    embedded: bool = False,
    replica: bool = False,
    redis: bool = False,
) -> list[str]:
    """What makes these settings unsafe for production; empty when they are fine. ``embedded``
    (``make run`` on one machine): the embedded SQLite is what it is meant to run on."""
    problems = []
    if secret_key == dev_secret or len(secret_key) < 50 or len(set(secret_key)) < 5:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if not allowed_hosts or "*" in allowed_hosts:
        problems.append("ALLOWED_HOSTS must list the host names the site is served under (not '*')")
    allow_sqlite = embedded or os.environ.get("ANJIAN_ALLOW_SQLITE_IN_PRODUCTION", "").lower() in _TRUE
    if not allow_sqlite and database.get("ENGINE", "").endswith("sqlite3"):
        problems.append(
            "DATABASE_URL must point to PostgreSQL (set ANJIAN_ALLOW_SQLITE_IN_PRODUCTION=true to override)"
        )
    if replica and not redis:
        problems.append(
            "DATABASE_REPLICA_URL needs REDIS_URL: the hosts must share the cache that keeps a user who just "
            "wrote on the primary (core.db)"
        )
    return problems
