from django.urls import path

from anjian.risks import views

app_name = "risks"

urlpatterns = [
    path("", views.PointListView.as_view(), name="point-list"),
    path("points/new/", views.PointCreateView.as_view(), name="point-create"),
    path("points/<int:pk>/", views.PointDetailView.as_view(), name="point-detail"),
    path("points/<int:pk>/edit/", views.PointEditView.as_view(), name="point-edit"),
    path("points/<int:pk>/deactivate/", views.PointSetActiveView.as_view(active=False), name="point-deactivate"),
    path("points/<int:pk>/reactivate/", views.PointSetActiveView.as_view(active=True), name="point-reactivate"),
    path("points/<int:pk>/checklist/", views.PointChecklistView.as_view(), name="point-checklist"),
    path("points/<int:pk>/risks/new/", views.RiskCreateView.as_view(), name="risk-create"),
    path("table/", views.RiskTableView.as_view(), name="risk-table"),
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("methods/", views.MethodListView.as_view(), name="method-list"),
    path("methods/<str:code>/new-version/", views.MethodVersionView.as_view(), name="method-version"),
    path("<int:pk>/", views.RiskDetailView.as_view(), name="risk-detail"),
    path("<int:pk>/edit/", views.RiskEditView.as_view(), name="risk-edit"),
    path("<int:pk>/deactivate/", views.RiskSetActiveView.as_view(active=False), name="risk-deactivate"),
    path("<int:pk>/reactivate/", views.RiskSetActiveView.as_view(active=True), name="risk-reactivate"),
    path("measures/<int:pk>/deactivate/", views.MeasureSetActiveView.as_view(active=False), name="measure-deactivate"),
    path("measures/<int:pk>/reactivate/", views.MeasureSetActiveView.as_view(active=True), name="measure-reactivate"),
    path("<int:pk>/reassess/", views.RiskReassessView.as_view(), name="risk-reassess"),
    path("<int:pk>/hazard/", views.RiskHazardReportView.as_view(), name="risk-hazard"),
    path("<int:pk>/measures/new/", views.MeasureAddView.as_view(), name="measure-add"),
    path("cards/", views.CardListView.as_view(), name="card-list"),
    path("cards/post/<int:pk>/edit/", views.CardEditView.as_view(), name="card-edit"),
    path("cards/<int:pk>/", views.CardDetailView.as_view(), name="card-detail"),
    path("cards/<int:pk>/acknowledge/", views.CardAcknowledgeView.as_view(), name="card-acknowledge"),
    path("c/<str:code>/", views.CardScanView.as_view(), name="card-scan"),
    path("map/", views.PlanListView.as_view(), name="plan-list"),
    path("map/new/", views.PlanUploadView.as_view(), name="plan-upload"),
    path("map/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("map/<int:pk>/image/", views.PlanImageView.as_view(), name="plan-image"),
    path("map/<int:pk>/areas/new/", views.AreaCreateView.as_view(), name="area-create"),
    path("areas/<int:pk>/notice/", views.AreaNoticeView.as_view(), name="area-notice"),
]
