from django.urls import path

from anjian.reports.api import views

urlpatterns = [
    path(
        "reports/monthly-statistics/",
        views.MonthlyStatisticsView.as_view(),
        name="report-monthly-statistics",
    ),
]
