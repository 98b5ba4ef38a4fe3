"""The pages: plans and their import, a task, an assignment with its progress and review, the
dispatch matrix, the timeline, a unit's page, the exports, and periodic reports.

One module per part of the app, every view re-exported here for ``urls.py``.
"""

from anjian.action_plans.views.assignments import (
    STATE_TABS,
    AssignmentBulkReviewView,
    AssignmentDetailView,
    AssignmentListView,
    AssignmentReportView,
    AssignmentReviewView,
    AttachmentView,
)
from anjian.action_plans.views.dispatch import (
    PlanMatrixExportView,
    PlanMatrixView,
    PlanTimelineView,
    UnitDetailView,
    matrix_filters,
    matrix_rows,
)
from anjian.action_plans.views.plan_import import (
    PlanImportPreviewView,
    PlanImportTemplateView,
    PlanImportView,
)
from anjian.action_plans.views.plans import (
    PlanCreateView,
    PlanDetailView,
    PlanDocumentView,
    PlanExportView,
    PlanListView,
    PlanSetActiveView,
    PlanUpdateView,
    TaskBulkEditView,
    TaskCreateView,
    TaskDetailView,
    TaskUpdateView,
)
from anjian.action_plans.views.reports import (
    ReportCreateView,
    ReportDetailView,
    ReportExportView,
    ReportFillView,
    ReportListView,
    ReportUpdateView,
    SubmissionDetailView,
)
from anjian.action_plans.views.unit_groups import (
    UnitGroupCreateView,
    UnitGroupFormMixin,
    UnitGroupListView,
    UnitGroupUpdateView,
)

__all__ = [
    "STATE_TABS",
    "AssignmentBulkReviewView",
    "AssignmentDetailView",
    "AssignmentListView",
    "AssignmentReportView",
    "AssignmentReviewView",
    "AttachmentView",
    "PlanCreateView",
    "PlanDetailView",
    "PlanDocumentView",
    "PlanExportView",
    "PlanImportPreviewView",
    "PlanImportTemplateView",
    "PlanImportView",
    "PlanListView",
    "PlanMatrixExportView",
    "PlanMatrixView",
    "PlanSetActiveView",
    "PlanTimelineView",
    "PlanUpdateView",
    "ReportCreateView",
    "ReportDetailView",
    "ReportExportView",
    "ReportFillView",
    "ReportListView",
    "ReportUpdateView",
    "SubmissionDetailView",
    "TaskBulkEditView",
    "TaskCreateView",
    "TaskDetailView",
    "TaskUpdateView",
    "UnitDetailView",
    "UnitGroupCreateView",
    "UnitGroupFormMixin",
    "UnitGroupListView",
    "UnitGroupUpdateView",
    "matrix_filters",
    "matrix_rows",
]
