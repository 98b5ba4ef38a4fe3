"""Personal data encrypted at rest (个人信息保护法, 等保 2.0): a value is stored as a Fernet token
(AES-128-CBC with an HMAC-SHA256, ``cryptography``), a keyed hash beside it finds duplicates
without decrypting, and pages show only a mask of it.

Used for contractors' workers' ID numbers and tipsters' contact details.

Keys: ``settings.FIELD_ENCRYPTION_KEYS`` (a list of Fernet keys, the first encrypts, all decrypt:
add a new key in front to rotate; generate one with ``python -c "from cryptography.fernet import
Fernet; print(Fernet.generate_key().decode())"``), or, when it is empty, one key derived from ``SECRET_KEY``
(changing SECRET_KEY then makes the stored values unreadable: set FIELD_ENCRYPTION_KEYS in
production); values stored before the keys were set stay readable with the derived key. The
blind index has its own key, ``FIELD_INDEX_KEY``, which never rotates.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _derived(purpose: str) -> bytes:
    digest = hashlib.sha256(f"anjian.core.crypto:{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret: str) -> MultiFernet:
    """The configured keys, then the key derived from SECRET_KEY: values stored before keys were
    configured stay readable (the first key encrypts)."""
    configured = [Fernet(k.encode() if isinstance(k, str) else k) for k in keys]
    return MultiFernet([*configured, Fernet(_derived("fernet"))])


def _keys() -> tuple[str, ...]:
    return tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) or ())


def encrypt(value: str) -> str:
    """The Fernet token of ``value`` ("" stays "")."""
    if not value:
        return ""
    return _fernet(_keys(), settings.SECRET_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The value of a token made by ``encrypt``; "" stays "". A token no configured key opens raises
    ``ValueError`` (the key was lost or changed without keeping the old one behind it): an unreadable
    value is never shown as an empty one."""
    if not token:
        return ""
    try:
        return _fernet(_keys(), settings.SECRET_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("the field cannot be decrypted with the configured keys") from exc


def blind_index(value: str) -> str:
    """A keyed hash (HMAC-SHA256, hex) of the normalised value: equal values, equal hashes; the
    value cannot be read back from it. Its key (``FIELD_INDEX_KEY``, else derived from SECRET_KEY)
    does not rotate with the encryption keys: stored hashes must keep matching new ones."""
    if not value:
        return ""
    key = (getattr(settings, "FIELD_INDEX_KEY", "") or "").encode() or _derived("fernet") + b":index"
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def mask(value: str, *, head: int = 3, tail: int = 4) -> str:
    """``110***********1234``: the first ``head`` and last ``tail`` characters, stars between."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]
