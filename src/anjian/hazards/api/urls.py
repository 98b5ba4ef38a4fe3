from rest_framework.routers import SimpleRouter

from anjian.hazards.api import views

# Path converters (<int:pk>) rather than regexes, so the schema types every id as an integer.
router = SimpleRouter(use_regex_path=False)
router.register("hazards", views.HazardViewSet, basename="hazard")
router.register("hazard-categories", views.HazardCategoryViewSet, basename="hazard-category")
router.register("hazard-criteria", views.CriterionViewSet, basename="hazard-criterion")

urlpatterns = router.urls
