from django.urls import path

from anjian.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization-list"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    path("departments/", views.DepartmentListView.as_view(), name="department-list"),
]
