from django.urls import path

from anjian.stats.api import views

urlpatterns = [
    path("stats/hazards/", views.HazardStatsView.as_view(), name="stats-hazards"),
    path("stats/major-clearance/", views.MajorClearanceView.as_view(), name="stats-major-clearance"),
    path("stats/inspections/", views.InspectionStatsView.as_view(), name="stats-inspections"),
    path("stats/tasks/", views.TaskStatsView.as_view(), name="stats-tasks"),
    path("stats/dashboard/", views.DashboardView.as_view(), name="stats-dashboard"),
]
