from django.urls import path

from anjian.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportView.as_view(), name="import"),
]
