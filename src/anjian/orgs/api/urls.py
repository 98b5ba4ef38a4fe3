from rest_framework.routers import SimpleRouter

from anjian.orgs.api import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")

urlpatterns = router.urls
