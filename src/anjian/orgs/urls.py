from django.urls import path

from anjian.orgs import views
from anjian.orgs.provider_evaluation_views import ProviderEvaluateView

app_name = "orgs"

urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization-list"),
    path("new/", views.OrganizationCreateView.as_view(), name="organization-create"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    path("<int:pk>/edit/", views.OrganizationUpdateView.as_view(), name="organization-update"),
    path("<int:pk>/deactivate/", views.OrganizationSetActiveView.as_view(active=False), name="organization-deactivate"),
    path("<int:pk>/reactivate/", views.OrganizationSetActiveView.as_view(active=True), name="organization-reactivate"),
    path("<int:pk>/evaluate/", ProviderEvaluateView.as_view(), name="provider-evaluate"),
    # engagements (委托/聘请) of third-party inspectors and experts by the regulator
    path("engagements/", views.EngagementListView.as_view(), name="engagement-list"),
    path("engagements/new/", views.EngagementCreateView.as_view(), name="engagement-create"),
    path("engagements/<int:pk>/edit/", views.EngagementUpdateView.as_view(), name="engagement-update"),
    path("engagements/<int:pk>/end/", views.EngagementEndView.as_view(), name="engagement-end"),
    # departments and posts of an institution
    path("departments/", views.DepartmentListView.as_view(), name="department-list"),
    path("departments/new/<int:organization_pk>/", views.DepartmentCreateView.as_view(), name="department-create"),
    path("departments/<int:pk>/", views.DepartmentDetailView.as_view(), name="department-detail"),
    path("departments/<int:pk>/edit/", views.DepartmentUpdateView.as_view(), name="department-update"),
    path(
        "departments/<int:pk>/deactivate/",
        views.DepartmentSetActiveView.as_view(active=False),
        name="department-deactivate",
    ),
    path(
        "departments/<int:pk>/reactivate/",
        views.DepartmentSetActiveView.as_view(active=True),
        name="department-reactivate",
    ),
    path("departments/<int:pk>/posts/new/", views.PostCreateView.as_view(), name="post-create"),
    path("departments/posts/<int:pk>/edit/", views.PostUpdateView.as_view(), name="post-update"),
    path(
        "departments/posts/<int:pk>/deactivate/", views.PostSetActiveView.as_view(active=False), name="post-deactivate"
    ),
    path(
        "departments/posts/<int:pk>/reactivate/", views.PostSetActiveView.as_view(active=True), name="post-reactivate"
    ),
]
