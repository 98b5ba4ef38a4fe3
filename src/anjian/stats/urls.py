from django.urls import path

from anjian.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
]
