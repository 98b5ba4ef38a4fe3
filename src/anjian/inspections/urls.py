from django.urls import path

from anjian.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.DueView.as_view(), name="due"),
    path("p/<str:code>/", views.PointScanView.as_view(), name="point-scan"),
    path("fill/<int:pk>/", views.RecordCreateView.as_view(), name="record-create"),
    path("records/", views.RecordListView.as_view(), name="record-list"),
    path("records/<int:pk>/", views.RecordDetailView.as_view(), name="record-detail"),
    path("records/<int:pk>/correct/", views.RecordCorrectView.as_view(), name="record-correct"),
    path("photos/<int:pk>/<slug:size>.jpg", views.ResultPhotoView.as_view(), name="result-photo"),
    path("checklists/", views.TemplateListView.as_view(), name="template-list"),
    path("checklists/new/", views.TemplateCreateView.as_view(), name="template-create"),
    path("checklists/<int:pk>/", views.TemplateDetailView.as_view(), name="template-detail"),
    path("checklists/<int:pk>/edit/", views.TemplateEditView.as_view(), name="template-edit"),
    path("checklists/<int:pk>/items/<int:item_pk>/edit/", views.ItemEditView.as_view(), name="item-edit"),
    path("checklists/<int:pk>/<slug:action>/", views.TemplateActionView.as_view(), name="template-action"),
    path("points/", views.PointListView.as_view(), name="point-list"),
    path("points/new/", views.PointCreateView.as_view(), name="point-create"),
    path("points/labels/", views.PointLabelsView.as_view(), name="point-labels"),
    path("points/<int:pk>/edit/", views.PointEditView.as_view(), name="point-edit"),
    path("points/<int:pk>/reissue-label/", views.PointReissueLabelView.as_view(), name="point-reissue-label"),
    path("schedules/", views.ScheduleListView.as_view(), name="schedule-list"),
    path("schedules/new/", views.ScheduleCreateView.as_view(), name="schedule-create"),
    path("schedules/from-defaults/", views.ScheduleDefaultsView.as_view(), name="schedule-defaults"),
    path("schedules/<int:pk>/edit/", views.ScheduleEditView.as_view(), name="schedule-edit"),
    path("rhythms/", views.RhythmListView.as_view(), name="rhythm-list"),
    path("rhythms/new/", views.RhythmCreateView.as_view(), name="rhythm-create"),
    path("rhythms/<int:pk>/edit/", views.RhythmEditView.as_view(), name="rhythm-edit"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("supervision/", views.SupervisionListView.as_view(), name="supervision-list"),
    path("supervision/new/", views.SupervisionCreateView.as_view(), name="supervision-create"),
    path("supervision/<int:pk>/", views.SupervisionDetailView.as_view(), name="supervision-detail"),
    path("supervision/<int:pk>/findings/new/", views.SupervisionFindingView.as_view(), name="supervision-finding"),
    path(
        "supervision/<int:pk>/checklists/<int:template_pk>/",
        views.SupervisionChecklistView.as_view(),
        name="supervision-checklist",
    ),
    path("interviews/new/", views.InterviewCreateView.as_view(), name="interview-create"),
]
