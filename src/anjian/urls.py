from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from anjian.core import views as core_views

api_v1 = [
    path("", include("anjian.accounts.api.urls")),
    path("", include("anjian.orgs.api.urls")),
    path("", include("anjian.hazards.api.urls")),
    path("", include("anjian.imports.api.urls")),
    path("", include("anjian.inspections.api.urls")),
    path("", include("anjian.risks.api.urls")),
    path("", include("anjian.action_plans.api.urls")),
    path("", include("anjian.reports.api.urls")),
    path("", include("anjian.stats.api.urls")),
    path("", include("anjian.training.api.urls")),
    path("", include("anjian.registers.api.urls")),
    path("", include("anjian.contractors.api.urls")),
    path("", include("anjian.oversight.api.urls")),
    path("", include("anjian.notifications.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"))),
    path("accounts/", include("anjian.accounts.urls")),
    path("orgs/", include("anjian.orgs.urls")),
    path("people/", include("anjian.accounts.people_urls")),
    path("imports/", include("anjian.imports.urls")),
    path("hazards/", include("anjian.hazards.urls")),
    path("inspections/", include("anjian.inspections.urls")),
    path("risks/", include("anjian.risks.urls")),
    path("plans/", include("anjian.action_plans.urls")),
    path("reports/", include("anjian.reports.urls")),
    path("stats/", include("anjian.stats.urls")),
    path("training/", include("anjian.training.urls")),
    path("registers/", include("anjian.registers.urls")),
    path("contractors/", include("anjian.contractors.urls")),
    path("", include("anjian.oversight.urls")),
    path("notifications/", include("anjian.notifications.urls")),
    path("", include("anjian.core.urls")),
]

handler404 = "anjian.core.views.page_not_found"  # JSON under /api/, the product's page elsewhere
