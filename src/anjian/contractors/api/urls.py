from rest_framework.routers import SimpleRouter

from anjian.contractors.api import views

router = SimpleRouter(use_regex_path=False)
router.register("contractors", views.ContractorViewSet, basename="contractor")
router.register("contractor-qualifications", views.QualificationViewSet, basename="contractor-qualification")
router.register("work-permit-kinds", views.PermitKindViewSet, basename="work-permit-kind")
router.register("work-permits", views.WorkPermitViewSet, basename="work-permit")

urlpatterns = router.urls
