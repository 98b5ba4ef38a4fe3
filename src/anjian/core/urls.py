from django.urls import path

from anjian.core import audit_views, calendar_views, views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("calendar/", calendar_views.WorkCalendarView.as_view(), name="work-calendar"),
    path("calendar/<int:year>/", calendar_views.WorkCalendarEditView.as_view(), name="work-calendar-edit"),
    path("audit/integrity/", audit_views.AuditIntegrityView.as_view(), name="audit-integrity"),
]
