"""The inspection pages: my due inspections, the phone-first checklist (reached by scanning a
point's QR label), records and corrections, checklists and their versions, points and label
sheets, schedules and default rhythms, compliance, supervision inspections and interviews.

Thin: reads from ``inspections.selectors`` (scoped), writes through ``inspections.services``.

One module per family of pages: ``records``, ``checklists``, ``points``, ``schedules``,
``compliance``, ``supervision``; ``urls.py`` takes the views from here."""

from anjian.inspections.views.checklists import (
    ItemEditView,
    TemplateActionView,
    TemplateCreateView,
    TemplateDetailView,
    TemplateEditView,
    TemplateListView,
)
from anjian.inspections.views.compliance import ComplianceView
from anjian.inspections.views.points import (
    PointCreateView,
    PointEditView,
    PointLabelsView,
    PointListView,
    PointReissueLabelView,
)
from anjian.inspections.views.records import (
    DueView,
    PointScanView,
    RecordCorrectView,
    RecordCreateView,
    RecordDetailView,
    RecordListView,
    ResultPhotoView,
    fill_url,
)
from anjian.inspections.views.schedules import (
    RhythmCreateView,
    RhythmEditView,
    RhythmListView,
    ScheduleCreateView,
    ScheduleDefaultsView,
    ScheduleEditView,
    ScheduleListView,
)
from anjian.inspections.views.supervision import (
    InterviewCreateView,
    SupervisionChecklistView,
    SupervisionCreateView,
    SupervisionDetailView,
    SupervisionFindingView,
    SupervisionListView,
)

__all__ = [
    "ComplianceView",
    "DueView",
    "InterviewCreateView",
    "ItemEditView",
    "PointCreateView",
    "PointEditView",
    "PointLabelsView",
    "PointListView",
    "PointReissueLabelView",
    "PointScanView",
    "RecordCorrectView",
    "RecordCreateView",
    "RecordDetailView",
    "RecordListView",
    "ResultPhotoView",
    "RhythmCreateView",
    "RhythmEditView",
    "RhythmListView",
    "ScheduleCreateView",
    "ScheduleDefaultsView",
    "ScheduleEditView",
    "ScheduleListView",
    "SupervisionChecklistView",
    "SupervisionCreateView",
    "SupervisionDetailView",
    "SupervisionFindingView",
    "SupervisionListView",
    "TemplateActionView",
    "TemplateCreateView",
    "TemplateDetailView",
    "TemplateEditView",
    "TemplateListView",
    "fill_url",
]
