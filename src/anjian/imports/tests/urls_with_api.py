"""The project's URLs plus the import API, as the root URLconf will include it (for the API tests
until then)."""

from django.urls import include, path

from anjian.urls import api_v1
from anjian.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/v1/", include(([*api_v1, path("", include("anjian.imports.api.urls"))], "api"))),
    *project_urlpatterns,
]
