from django.urls import path

from anjian.contractors import views

app_name = "contractors"

urlpatterns = [
    path("", views.ContractorListView.as_view(), name="contractor-list"),
    path("new/", views.ContractorCreateView.as_view(), name="contractor-create"),
    path("<int:pk>/", views.ContractorDetailView.as_view(), name="contractor-detail"),
    path("<int:pk>/edit/", views.ContractorEditView.as_view(), name="contractor-edit"),
    path("<int:pk>/deactivate/", views.ContractorSetActiveView.as_view(active=False), name="contractor-deactivate"),
    path("<int:pk>/reactivate/", views.ContractorSetActiveView.as_view(active=True), name="contractor-reactivate"),
    path("<int:pk>/qualifications/new/", views.QualificationAddView.as_view(), name="qualification-add"),
    path("qualifications/<int:pk>/retire/", views.QualificationRetireView.as_view(), name="qualification-retire"),
    path("<int:pk>/agreements/new/", views.AgreementAddView.as_view(), name="agreement-add"),
    path("agreements/<int:pk>/file/", views.AgreementFileView.as_view(), name="agreement-file"),
    path("<int:pk>/workers/new/", views.WorkerAddView.as_view(), name="worker-add"),
    path("workers/export/", views.WorkerExportView.as_view(), name="worker-export"),
    path("workers/<int:pk>/edit/", views.WorkerEditView.as_view(), name="worker-edit"),
    path("<int:pk>/evaluations/new/", views.EvaluationAddView.as_view(), name="evaluation-add"),
    path("kinds/", views.KindListView.as_view(), name="kind-list"),
    path("kinds/<int:pk>/edit/", views.KindEditView.as_view(), name="kind-edit"),
    path("permits/", views.PermitListView.as_view(), name="permit-list"),
    path("permits/new/", views.PermitCreateView.as_view(), name="permit-create"),
    path("permits/<int:pk>/", views.PermitDetailView.as_view(), name="permit-detail"),
    path("permits/<int:pk>/hazard/", views.PermitHazardView.as_view(), name="permit-hazard"),
    path("permits/<int:pk>/print/", views.PermitPrintView.as_view(), name="permit-print"),
    path("permits/<int:pk>/<str:action>/", views.PermitActionView.as_view(), name="permit-action"),
    path("photos/<int:pk>/", views.PermitPhotoView.as_view(), name="permit-photo"),
    path("photos/<int:pk>/thumb/", views.PermitPhotoView.as_view(), {"size": "thumb"}, name="permit-photo-thumb"),
]
