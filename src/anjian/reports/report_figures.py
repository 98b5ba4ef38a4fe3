"""The figures this app counts for a periodic report of action_plans (``action_plans.figures``): the
hazard columns exactly as the monthly statistics form counts them (``monthly.hazard_columns`` over
``stats.selectors``), and the inspections due and done as the compliance page counts them
(``inspections.selectors.compliance``), for one institution and one period."""

from __future__ import annotations

import datetime as dt

from anjian.core.periods import Period
from anjian.inspections import selectors as inspection_selectors
from anjian.reports.monthly import hazard_columns
from anjian.stats.selectors import resolve_scope, scoped_hazards

# figure key (action_plans.figures) → column of the monthly form
HAZARD_COLUMNS = {
    "hazards_found": "hazards_found",
    "general_found": "general_found",
    "general_rectified": "general_rectified",
    "major_found": "major_found",
    "major_rectified": "major_rectified",
}
INSPECTION_KEYS = {"inspections_due", "inspections_done"}


def count(*, user, organization, start: dt.date, end: dt.date, keys: set[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    if keys & set(HAZARD_COLUMNS):
        scope = resolve_scope(user, organization=organization)  # another's organization: 404
        columns = hazard_columns(scoped_hazards(user, scope), Period.custom(start, end))
        out.update({key: columns[column] for key, column in HAZARD_COLUMNS.items() if key in keys})
    if keys & INSPECTION_KEYS:
        total = inspection_selectors.compliance(
            user=user, period=Period.custom(start, end), organization=organization, detail=False
        ).total
        out.update(inspections_due=total.due, inspections_done=total.done)
    return out
