"""Tests store their files in a directory of the test run, never in the real var/media."""

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from anjian.settings import VAR_DIR


def test_a_stored_file_lands_in_the_test_runs_media_directory(_media_in_a_temporary_directory):
    name = default_storage.save("probe/photo.jpg", ContentFile(b"\xff\xd8 not much of a photo"))

    stored = Path(default_storage.path(name))
    assert stored.read_bytes() == b"\xff\xd8 not much of a photo"
    assert stored.is_relative_to(_media_in_a_temporary_directory)
    assert not Path(settings.MEDIA_ROOT).is_relative_to(VAR_DIR)
