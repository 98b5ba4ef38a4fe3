"""Human-readable numbers from a locked counter: unique under concurrency on both databases."""

from django.db import transaction
from django.db.models import F


@transaction.atomic
def next_value(name: str) -> int:
    from anjian.core.models import Sequence

    Sequence.objects.get_or_create(name=name)
    Sequence.objects.filter(name=name).update(value=F("value") + 1)
    return Sequence.objects.select_for_update().values_list("value", flat=True).get(name=name)


def next_number(prefix: str, year: int, width: int = 6) -> str:
    """``YH-2026-000123``: one counter per prefix and year."""
    return f"{prefix}-{year}-{next_value(f'{prefix}-{year}'):0{width}d}"
