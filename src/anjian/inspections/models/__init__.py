"""The inspection regime (隐患排查): checklists in versions, inspection points, schedules, the
records filled at a place, supervision inspections by the regulator and interviews (约谈).

Due inspections are not stored: ``due.py`` computes them from the schedules (and the records
that fulfilled them), so "due today" is always right without a background job.

One module per part: ``checklists``, ``points``, ``schedules`` (with the default rhythms),
``supervision`` (with findings and interviews), ``records`` (with results and photos). Import the
models from here: ``from anjian.inspections.models import Schedule``.
"""

from anjian.inspections.models.checklists import (
    ITEM_FIELDS,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    TemplateManager,
    TemplateQuerySet,
)
from anjian.inspections.models.points import InspectionPoint, _point_code, new_label_secret
from anjian.inspections.models.records import InspectionRecord, InspectionResult, ResultPhoto
from anjian.inspections.models.schedules import RhythmDefault, Schedule, rhythm_label, window_text
from anjian.inspections.models.supervision import (
    Interview,
    SupervisionFinding,
    SupervisionInspection,
    SupervisionQuerySet,
)

__all__ = [
    "ITEM_FIELDS",
    "ChecklistItem",
    "ChecklistSection",
    "ChecklistTemplate",
    "InspectionPoint",
    "InspectionRecord",
    "InspectionResult",
    "Interview",
    "ResultPhoto",
    "RhythmDefault",
    "Schedule",
    "SupervisionFinding",
    "SupervisionInspection",
    "SupervisionQuerySet",
    "TemplateManager",
    "TemplateQuerySet",
    "_point_code",  # migration 0001 names the point code's default here
    "new_label_secret",
    "rhythm_label",
    "window_text",
]
