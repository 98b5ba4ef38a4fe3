from django.urls import path

from anjian.orgs import import_views as views

app_name = "imports"

urlpatterns = [
    path("", views.ImportView.as_view(), name="import"),
]
