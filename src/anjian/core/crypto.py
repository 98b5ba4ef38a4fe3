"""Encryption at rest for the few fields that must not be readable from a copy of the database (a
tipster's contact details): Fernet (AES-128-CBC + HMAC-SHA256) from ``cryptography``.

The key is ``settings.FIELD_ENCRYPTION_KEY`` (env ``FIELD_ENCRYPTION_KEY``): a Fernet key, i.e. 32
random bytes in url-safe base64 (``python -c "from cryptography.fernet import Fernet;
print(Fernet.generate_key().decode())"``). Without it the key is derived from ``SECRET_KEY``, which
is fine for the embedded run but ties the data to that secret: set the key in production and keep
it with the database backups (a lost key loses the encrypted fields, nothing else). Older keys may
follow in ``FIELD_ENCRYPTION_OLD_KEYS`` (comma-separated) while rotating: the first key encrypts,
every key decrypts."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet_key(text: str) -> bytes:
    return text.encode("ascii")


def _derived_key() -> bytes:
    digest = hashlib.sha256(b"anjian.field-encryption:" + settings.SECRET_KEY.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest)


def _cipher() -> MultiFernet:
    primary = getattr(settings, "FIELD_ENCRYPTION_KEY", "") or ""
    keys = [_fernet_key(primary) if primary else _derived_key()]
    keys += [_fernet_key(k) for k in getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", []) if k]
    return MultiFernet([Fernet(k) for k in keys])


def encrypt(text: str) -> str:
    """The text encrypted (a url-safe ASCII token); "" stays ""."""
    if not text:
        return ""
    return _cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The text behind ``encrypt``'s token; "" stays "". A token no configured key opens raises
    ``ValueError`` (the key was lost or changed without listing the old one)."""
    if not token:
        return ""
    try:
        return _cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("the field cannot be decrypted with the configured keys") from exc
