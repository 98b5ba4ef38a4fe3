"""Every change of the inspection regime: checklists and their versions, points, schedules, the
records filled at a place (a failed item becomes a hazard through ``hazards.services``),
supervision inspections and interviews. Each service checks its rule, writes, and records its
audit event in one transaction.

One module per concern: ``checklists`` (a checklist's versions and items), ``points``, ``schedules``,
``rhythms`` (the default rhythms and the schedules made from them), ``filling`` (whether a checklist
may be filled or a record corrected now), ``answers`` (the answers checked), ``submission`` (the
record filed), ``results`` (its results written, hazards raised or linked, photos stored),
``supervision`` (supervision inspections, findings, interviews). Callers use the package:
``from anjian.inspections import services; services.inspection_submit(...)``."""

from anjian.inspections.services.answers import result_error_key
from anjian.inspections.services.checklists import (
    TEMPLATE_FIELDS,
    item_add,
    item_remove,
    item_update,
    may_edit_template,
    template_copy,
    template_create,
    template_new_version,
    template_publish,
    template_update,
)
from anjian.inspections.services.filling import inspection_correct_check, inspection_fill_check
from anjian.inspections.services.points import POINT_FIELDS, point_create, point_reissue_label, point_update
from anjian.inspections.services.rhythms import (
    RHYTHM_FIELDS,
    defaults_for,
    effective_defaults,
    rhythm_default_create,
    rhythm_default_update,
    schedules_from_defaults,
)
from anjian.inspections.services.schedules import SCHEDULE_FIELDS, schedule_create, schedule_update
from anjian.inspections.services.submission import RECORD_PREFIX, inspection_submit
from anjian.inspections.services.supervision import (
    SUPERVISION_PREFIX,
    interview_record,
    supervision_add_finding,
    supervision_record,
)
from anjian.inspections.workflow import SlotDoneError

__all__ = [
    "POINT_FIELDS",
    "RECORD_PREFIX",
    "RHYTHM_FIELDS",
    "SCHEDULE_FIELDS",
    "SUPERVISION_PREFIX",
    "TEMPLATE_FIELDS",
    "SlotDoneError",
    "defaults_for",
    "effective_defaults",
    "inspection_correct_check",
    "inspection_fill_check",
    "inspection_submit",
    "interview_record",
    "item_add",
    "item_remove",
    "item_update",
    "may_edit_template",
    "point_create",
    "point_reissue_label",
    "point_update",
    "result_error_key",
    "rhythm_default_create",
    "rhythm_default_update",
    "schedule_create",
    "schedule_update",
    "schedules_from_defaults",
    "supervision_add_finding",
    "supervision_record",
    "template_copy",
    "template_create",
    "template_new_version",
    "template_publish",
    "template_update",
]
