from rest_framework.routers import SimpleRouter

from anjian.orgs.api import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("engagements", views.EngagementViewSet, basename="engagement")

urlpatterns = router.urls
