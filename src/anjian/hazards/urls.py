from django.urls import path

from anjian.hazards import library_views as lib
from anjian.hazards import views

app_name = "hazards"

urlpatterns = [
    path("", views.HazardListView.as_view(), name="hazard-list"),
    path("report/", views.HazardReportView.as_view(), name="hazard-report"),
    path("export.xlsx", views.HazardExportView.as_view(), name="hazard-export"),
    path("photos/<int:pk>/<slug:size>.jpg", views.HazardPhotoView.as_view(), name="hazard-photo"),
    path("library/", lib.LibraryView.as_view(), name="library"),
    path("library/categories/new/", lib.CategoryCreateView.as_view(), name="category-create"),
    path("library/categories/<int:pk>/edit/", lib.CategoryUpdateView.as_view(), name="category-edit"),
    path("library/sets/new/", lib.CriterionSetCreateView.as_view(), name="criterion-set-create"),
    path("library/sets/<int:pk>/", lib.CriterionSetDetailView.as_view(), name="criterion-set-detail"),
    path("library/sets/<int:pk>/edit/", lib.CriterionSetUpdateView.as_view(), name="criterion-set-edit"),
    path("library/sets/<int:set_pk>/criteria/new/", lib.CriterionCreateView.as_view(), name="criterion-create"),
    path("library/criteria/<int:pk>/edit/", lib.CriterionUpdateView.as_view(), name="criterion-edit"),
    path("<int:pk>/", views.HazardDetailView.as_view(), name="hazard-detail"),
    path("<int:pk>/<slug:action>/", views.HazardActionView.as_view(), name="hazard-action"),
]
