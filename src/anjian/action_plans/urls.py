from django.urls import path

from anjian.action_plans import views as v

app_name = "action_plans"

urlpatterns = [
    path("", v.PlanListView.as_view(), name="plan-list"),
    path("new/", v.PlanCreateView.as_view(), name="plan-create"),
    path("import/", v.PlanImportView.as_view(), name="plan-import"),
    path("import/template.xlsx", v.PlanImportTemplateView.as_view(), name="plan-import-template"),
    path("import/<int:pk>/", v.PlanImportPreviewView.as_view(), name="plan-import-preview"),
    path("<int:pk>/", v.PlanDetailView.as_view(), name="plan-detail"),
    path("<int:pk>/edit/", v.PlanUpdateView.as_view(), name="plan-edit"),
    path("<int:pk>/deactivate/", v.PlanSetActiveView.as_view(active=False), name="plan-deactivate"),
    path("<int:pk>/reactivate/", v.PlanSetActiveView.as_view(active=True), name="plan-reactivate"),
    path("<int:pk>/tasks/new/", v.TaskCreateView.as_view(), name="task-create"),
    path("<int:pk>/tasks/bulk/", v.TaskBulkEditView.as_view(), name="task-bulk-edit"),
    path("<int:pk>/matrix/", v.PlanMatrixView.as_view(), name="plan-matrix"),
    path("<int:pk>/matrix.xlsx", v.PlanMatrixExportView.as_view(), name="plan-matrix-export"),
    path("<int:pk>/timeline/", v.PlanTimelineView.as_view(), name="plan-timeline"),
    path("<int:pk>/document/", v.PlanDocumentView.as_view(), name="plan-document"),
    path("<int:pk>/export.xlsx", v.PlanExportView.as_view(), name="plan-export"),
    path("tasks/<int:pk>/", v.TaskDetailView.as_view(), name="task-detail"),
    path("tasks/<int:pk>/edit/", v.TaskUpdateView.as_view(), name="task-edit"),
    path("assignments/", v.AssignmentListView.as_view(), name="assignment-list"),
    path("assignments/review/", v.AssignmentBulkReviewView.as_view(), name="assignment-bulk-review"),
    path("assignments/<int:pk>/", v.AssignmentDetailView.as_view(), name="assignment-detail"),
    path("assignments/<int:pk>/report/", v.AssignmentReportView.as_view(), name="assignment-report"),
    path("assignments/<int:pk>/review/", v.AssignmentReviewView.as_view(), name="assignment-review"),
    path("attachments/<int:pk>/", v.AttachmentView.as_view(), name="attachment"),
    path("units/<int:pk>/", v.UnitDetailView.as_view(), name="unit-detail"),
    path("unit-groups/", v.UnitGroupListView.as_view(), name="unit-group-list"),
    path("unit-groups/new/", v.UnitGroupCreateView.as_view(), name="unit-group-create"),
    path("unit-groups/<int:pk>/edit/", v.UnitGroupUpdateView.as_view(), name="unit-group-edit"),
    path("reports/", v.ReportListView.as_view(), name="report-list"),
    path("reports/new/", v.ReportCreateView.as_view(), name="report-create"),
    path("reports/<int:pk>/", v.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/edit/", v.ReportUpdateView.as_view(), name="report-edit"),
    path("reports/<int:pk>/fill/", v.ReportFillView.as_view(), name="report-fill"),
    path("reports/<int:pk>/export.xlsx", v.ReportExportView.as_view(), name="report-export"),
    path("submissions/<int:pk>/", v.SubmissionDetailView.as_view(), name="submission-detail"),
]
