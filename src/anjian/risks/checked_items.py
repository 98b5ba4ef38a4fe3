"""Which risk a checklist item checks (``inspections.services`` asks when an item fails): the items
generated from control measures carry the measure's key, unique."""

from __future__ import annotations

from anjian.risks.models import ControlMeasure


def risks_for(keys: set[str]) -> dict:
    """Item key → the risk whose control measure it is; one query for them all."""
    measures = ControlMeasure.objects.filter(key__in=keys).select_related("risk")
    return {m.key: m.risk for m in measures}
