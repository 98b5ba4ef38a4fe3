"""Pinyin initials for search: "rmyy" finds 人民医院."""

from pypinyin import Style, lazy_pinyin


def initials(text: str) -> str:
    """Lower-case pinyin initials of the Chinese characters; other letters and digits kept."""
    parts = lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(p for p in "".join(parts).lower() if p.isalnum())
