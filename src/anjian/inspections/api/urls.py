from rest_framework.routers import SimpleRouter

from anjian.inspections.api import views

router = SimpleRouter(use_regex_path=False)
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("inspection-templates", views.TemplateViewSet, basename="inspection-template")
router.register("inspection-points", views.PointViewSet, basename="inspection-point")
router.register("inspection-schedules", views.ScheduleViewSet, basename="inspection-schedule")

urlpatterns = router.urls
