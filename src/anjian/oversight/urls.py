from django.urls import path

from anjian.oversight.views import accidents, assessment, documents, public, tips

app_name = "oversight"

urlpatterns = [
    path("tips/new/", public.TipNewView.as_view(), name="tip-new"),
    path("tips/targets/", public.tip_targets, name="tip-targets"),
    path("tips/status/", public.TipStatusView.as_view(), name="tip-status"),
    path("tips/poster/<int:pk>/", public.TipPosterView.as_view(), name="tip-poster"),
    path("tips/queue/", tips.TipQueueView.as_view(), name="tip-queue"),
    path("tips/<int:pk>/", tips.TipDetailView.as_view(), name="tip-detail"),
    path("tips/<int:pk>/contact/", tips.TipContactView.as_view(), name="tip-contact"),
    path("tips/<int:pk>/accept/", tips.TipAcceptView.as_view(), name="tip-accept"),
    path("tips/<int:pk>/dismiss/", tips.TipDismissView.as_view(), name="tip-dismiss"),
    path("tips/<int:pk>/reply/", tips.TipReplyView.as_view(), name="tip-reply"),
    path("tips/<int:pk>/reward/", tips.TipRewardView.as_view(), name="tip-reward"),
    path("tips/<int:pk>/reward/decide/", tips.TipRewardDecideView.as_view(), name="tip-reward-decide"),
    path("tips/photos/<int:pk>/", tips.TipPhotoView.as_view(), name="tip-photo"),
    path("accidents/", accidents.AccidentListView.as_view(), name="accident-list"),
    path("accidents/new/", accidents.AccidentCreateView.as_view(), name="accident-new"),
    path("accidents/<int:pk>/", accidents.AccidentDetailView.as_view(), name="accident-detail"),
    path("accidents/<int:pk>/complete/", accidents.AccidentCompleteView.as_view(), name="accident-complete"),
    path("accidents/<int:pk>/void/", accidents.AccidentVoidView.as_view(), name="accident-void"),
    path("assessments/", assessment.AssessmentListView.as_view(), name="assessment-list"),
    path("assessments/new/", assessment.AssessmentCreateView.as_view(), name="assessment-new"),
    path("assessments/<int:pk>/", assessment.AssessmentDetailView.as_view(), name="assessment-detail"),
    path("assessments/<int:pk>/score/<int:org>/", assessment.AssessmentScoreView.as_view(), name="assessment-score"),
    path("assessments/<int:pk>/publish/", assessment.AssessmentPublishView.as_view(), name="assessment-publish"),
    path("assessments/<int:pk>/export.xlsx", assessment.AssessmentExportView.as_view(), name="assessment-export"),
    path("assessments/indicators/", assessment.IndicatorListView.as_view(), name="indicator-list"),
    path("assessments/indicators/new/", assessment.IndicatorFormView.as_view(), name="indicator-new"),
    path("assessments/indicators/<int:pk>/", assessment.IndicatorFormView.as_view(), name="indicator-edit"),
    path("documents/", documents.DocumentListView.as_view(), name="document-list"),
    path("documents/new/", documents.DocumentCreateView.as_view(), name="document-new"),
    path("documents/<int:pk>/", documents.DocumentDetailView.as_view(), name="document-detail"),
    path("documents/<int:pk>/decide/", documents.DocumentDecideView.as_view(), name="document-decide"),
    path("documents/<int:pk>/docx/", documents.DocumentDocxView.as_view(), name="document-docx"),
    path("exposure/", documents.public_exposure, name="exposure-public"),
    path("exposure/propose/", documents.ExposureProposeView.as_view(), name="exposure-propose"),
    path("exposure/<int:pk>/decide/", documents.ExposureDecideView.as_view(), name="exposure-decide"),
    path("exposure/<int:pk>/withdraw/", documents.ExposureWithdrawView.as_view(), name="exposure-withdraw"),
]
