"""Every change to plans, assignments and periodic reports: one transaction each, audited.

The rules: a regulator imports and edits the plans of its own jurisdiction and reviews the
assignments in it; a responsible unit reports progress on its own assignments and fills and
submits its own periodic reports. Out-of-scope objects never reach these functions (views and
API fetch them with ``visible_to``); a role that may see but not act gets ``NotPermittedError``.

One module per part of the app, every service re-exported here (``services.progress_report``).
"""

from anjian.action_plans.services.plan_import import (
    draft_counts,
    plan_import_confirm,
    plan_import_preview,
    plan_import_remap,
    unit_lookup,
)
from anjian.action_plans.services.plans import (
    BULK_TASK_FIELDS,
    PLAN_FIELDS,
    TASK_FIELDS,
    assign_units,
    plan_create,
    plan_set_active,
    plan_update,
    task_bulk_update,
    task_create,
    task_update,
    units_for,
)
from anjian.action_plans.services.progress import (
    assignment_bulk_review,
    assignment_review,
    progress_report,
)
from anjian.action_plans.services.reports import (
    DEFINITION_FIELDS,
    MAX_REASON_CHARS,
    clean_values,
    owing_units,
    report_definition_create,
    report_definition_update,
    submission_save,
)
from anjian.action_plans.services.unit_groups import (
    UNIT_GROUP_FIELDS,
    unit_group_create,
    unit_group_update,
)

__all__ = [
    "BULK_TASK_FIELDS",
    "DEFINITION_FIELDS",
    "MAX_REASON_CHARS",
    "PLAN_FIELDS",
    "TASK_FIELDS",
    "UNIT_GROUP_FIELDS",
    "assign_units",
    "assignment_bulk_review",
    "assignment_review",
    "clean_values",
    "draft_counts",
    "owing_units",
    "plan_create",
    "plan_import_confirm",
    "plan_import_preview",
    "plan_import_remap",
    "plan_set_active",
    "plan_update",
    "progress_report",
    "report_definition_create",
    "report_definition_update",
    "submission_save",
    "task_bulk_update",
    "task_create",
    "task_update",
    "unit_group_create",
    "unit_group_update",
    "unit_lookup",
    "units_for",
]
