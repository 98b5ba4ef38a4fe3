from django.urls import path

from anjian.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportView.as_view(), name="import"),
    path("template/", views.TemplateDownloadView.as_view(), name="template"),
    path("download/", views.ResultDownloadView.as_view(), name="download"),
]
