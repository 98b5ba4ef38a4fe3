"""core.crypto as the tips use it: encrypted at rest, readable with the configured keys only."""

import pytest
from cryptography.fernet import Fernet

from anjian.core import crypto


def test_a_rotated_key_still_reads_old_values_and_a_lost_key_reads_nothing(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    token = crypto.encrypt("13800138000")
    assert "13800138000" not in token and crypto.decrypt(token) == "13800138000"
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt(token) == "13800138000"
    assert crypto.decrypt(crypto.encrypt("x")) == "x"
    settings.FIELD_ENCRYPTION_KEYS = [new]
    with pytest.raises(ValueError):
        crypto.decrypt(token)
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_values_from_before_the_keys_were_set_stay_readable_and_the_index_survives_a_rotation(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    before_keys = crypto.encrypt("110101199003074514")
    index = crypto.blind_index("110101199003074514")
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()

    settings.FIELD_ENCRYPTION_KEYS = [first]
    assert crypto.decrypt(before_keys) == "110101199003074514"
    settings.FIELD_ENCRYPTION_KEYS = [second, first]  # rotated: the new key in front
    assert crypto.decrypt(before_keys) == "110101199003074514"
    assert crypto.blind_index("110101199003074514 ") == index  # duplicates are still found
    assert crypto.blind_index("110101199003074515") != index
