from django.urls import path
from rest_framework.routers import SimpleRouter

from anjian.oversight.api import accidents, assessments, documents, tips

router = SimpleRouter(use_regex_path=False)
router.register("tips", tips.TipViewSet, basename="tip")
router.register("accidents", accidents.AccidentViewSet, basename="accident")
router.register("assessments", assessments.AssessmentViewSet, basename="assessment")
router.register("circulars", documents.DocumentViewSet, basename="circular")

urlpatterns = [
    path("public/tips/", tips.PublicTipCreateView.as_view(), name="public-tip-create"),
    path("public/tips/challenge/", tips.PublicChallengeView.as_view(), name="public-tip-challenge"),
    path("public/tips/<str:receipt_code>/", tips.PublicTipStatusView.as_view(), name="public-tip-status"),
    path("tips/internal/", tips.InternalTipCreateView.as_view(), name="tip-internal"),
    path("tips/mine/", tips.MyTipListView.as_view(), name="tip-mine"),
    path("circulars/received/", documents.ReceivedDocumentListView.as_view(), name="circular-received"),
    path("stats/accidents/", accidents.AccidentStatsView.as_view(), name="stats-accidents"),
    *router.urls,
]
