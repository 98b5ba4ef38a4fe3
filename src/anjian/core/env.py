"""Reading typed settings from the environment."""

import os

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


def unsafe_production_settings(
    *, secret_key: str, dev_secret: str, allowed_hosts: list[str], database: dict
) -> list[str]:
    """What makes these settings unsafe for production; empty when they are fine."""
    problems = []
    if secret_key == dev_secret or len(secret_key) < 50 or len(set(secret_key)) < 5:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if not allowed_hosts or "*" in allowed_hosts:
        problems.append("ALLOWED_HOSTS must list the host names the site is served under (not '*')")
    if os.environ.get("ANJIAN_ALLOW_SQLITE_IN_PRODUCTION", "").lower() not in _TRUE and database.get(
        "ENGINE", ""
    ).endswith("sqlite3"):
        problems.append(
            "DATABASE_URL must point to PostgreSQL (set ANJIAN_ALLOW_SQLITE_IN_PRODUCTION=true to override)"
        )
    return problems
