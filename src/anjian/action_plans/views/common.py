"""What the pages of the app share."""

from __future__ import annotations


def is_regulator(user) -> bool:
    """The user works for a regulator (a health commission), not an institution."""
    return bool(user.organization and user.organization.is_regulator)
