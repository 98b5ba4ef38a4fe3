from django.urls import path

from anjian.imports.api import views

urlpatterns = [
    path("imports/<slug:kind>/", views.ImportAPIView.as_view(), name="import-run"),
]
