from django.urls import path

from anjian.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="index"),
    path("monthly/", views.MonthlyPageView.as_view(), name="monthly"),
    path("analysis/", views.AnalysisPageView.as_view(), name="analysis"),
    path("analysis.xlsx", views.AnalysisExportView.as_view(), name="analysis-export"),
    path("major-lists.xlsx", views.MajorListsExportView.as_view(), name="major-lists"),
    path("notices/<slug:kind>/<int:pk>/new/", views.NoticeCreateView.as_view(), name="notice-new"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice-detail"),
    path("notices/<int:pk>.docx", views.NoticeDownloadView.as_view(), name="notice-download"),
    path("notices/<int:pk>/reissue/", views.NoticeReissueView.as_view(), name="notice-reissue"),
    path("templates/", views.TemplateListView.as_view(), name="template-list"),
    path("templates/<slug:kind>/edit/", views.TemplateEditView.as_view(), name="template-edit"),
    path("topics/new/", views.TopicFormView.as_view(), name="topic-create"),
    path("topics/<int:pk>/edit/", views.TopicFormView.as_view(), name="topic-edit"),
]
