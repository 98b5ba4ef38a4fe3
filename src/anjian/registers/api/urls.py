from rest_framework.routers import SimpleRouter

from anjian.registers.api import views

router = SimpleRouter(use_regex_path=False)
router.register("equipment", views.EquipmentViewSet, basename="equipment")
router.register("chemical-storage-places", views.PlaceViewSet, basename="chemical-storage-place")
router.register("chemicals", views.StockViewSet, basename="chemical")
router.register("chemical-movements", views.MovementViewSet, basename="chemical-movement")
router.register("waste-handovers", views.WasteViewSet, basename="waste-handover")

urlpatterns = router.urls
