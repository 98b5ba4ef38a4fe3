from django.urls import path

from anjian.hazards import views

app_name = "hazards"

urlpatterns = [
    path("", views.HazardListView.as_view(), name="hazard-list"),
    path("report/", views.HazardReportView.as_view(), name="hazard-report"),
    path("export.xlsx", views.HazardExportView.as_view(), name="hazard-export"),
    path("photos/<int:pk>/<slug:size>.jpg", views.HazardPhotoView.as_view(), name="hazard-photo"),
    path("<int:pk>/", views.HazardDetailView.as_view(), name="hazard-detail"),
    path("<int:pk>/<slug:action>/", views.HazardActionView.as_view(), name="hazard-action"),
]
