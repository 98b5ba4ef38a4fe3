from rest_framework.routers import SimpleRouter

from anjian.risks.api import views

router = SimpleRouter(use_regex_path=False)
router.register("risk-points", views.RiskPointViewSet, basename="risk-point")
router.register("risks", views.RiskViewSet, basename="risk")
router.register("risk-measures", views.MeasureViewSet, basename="risk-measure")
router.register("post-cards", views.PostCardViewSet, basename="post-card")

urlpatterns = router.urls
