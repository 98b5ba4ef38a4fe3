from django.urls import path

from anjian.registers.views import chemicals, equipment, fire, overview, places, waste

app_name = "registers"

urlpatterns = [
    path("", equipment.EquipmentListView.as_view(), name="equipment-list"),
    path("equipment/new/", equipment.EquipmentCreateView.as_view(), name="equipment-create"),
    path("equipment/<int:pk>/", equipment.EquipmentDetailView.as_view(), name="equipment-detail"),
    path("equipment/<int:pk>/edit/", equipment.EquipmentEditView.as_view(), name="equipment-edit"),
    path("equipment/<int:pk>/records/new/", equipment.EquipmentRecordView.as_view(), name="equipment-record"),
    path("equipment/<int:pk>/hazard/", equipment.EquipmentHazardView.as_view(), name="equipment-hazard"),
    path(
        "equipment/<int:pk>/deactivate/",
        equipment.EquipmentSetActiveView.as_view(active=False),
        name="equipment-deactivate",
    ),
    path(
        "equipment/<int:pk>/reactivate/",
        equipment.EquipmentSetActiveView.as_view(active=True),
        name="equipment-reactivate",
    ),
    path("records/<int:pk>/report/", equipment.RecordReportView.as_view(), name="record-report"),
    path("kinds/", equipment.KindListView.as_view(), name="kind-list"),
    path("kinds/<int:pk>/edit/", equipment.KindEditView.as_view(), name="kind-edit"),
    path("chemicals/", chemicals.StockListView.as_view(), name="stock-list"),
    path("chemicals/new/", chemicals.StockCreateView.as_view(), name="stock-create"),
    path("chemicals/places/new/", chemicals.PlaceCreateView.as_view(), name="place-create"),
    path("chemicals/places/<int:pk>/", places.PlaceDetailView.as_view(), name="place-detail"),
    path("chemicals/places/<int:pk>/edit/", places.PlaceEditView.as_view(), name="place-edit"),
    path("chemicals/places/<int:pk>/locate/", places.PlaceLocateView.as_view(), name="place-locate"),
    path(
        "chemicals/places/<int:pk>/deactivate/",
        places.PlaceSetActiveView.as_view(active=False),
        name="place-deactivate",
    ),
    path(
        "chemicals/places/<int:pk>/reactivate/",
        places.PlaceSetActiveView.as_view(active=True),
        name="place-reactivate",
    ),
    path("chemicals/map/", places.ChemicalMapView.as_view(), name="chemical-map"),
    path("chemicals/table.xlsx", chemicals.ChemicalTableView.as_view(), name="chemical-table"),
    path("chemicals/catalogue/", chemicals.ChemicalCatalogueView.as_view(), name="chemical-catalogue"),
    path("chemicals/<int:pk>/", chemicals.StockDetailView.as_view(), name="stock-detail"),
    path("chemicals/<int:pk>/limit/", chemicals.StockLimitView.as_view(), name="stock-limit"),
    path("chemicals/<int:pk>/movements/new/", chemicals.MovementCreateView.as_view(), name="movement-create"),
    path("movements/<int:pk>/confirm/", chemicals.MovementConfirmView.as_view(), name="movement-confirm"),
    path("movements/<int:pk>/cancel/", chemicals.MovementCancelView.as_view(), name="movement-cancel"),
    path("waste/", waste.WasteListView.as_view(), name="waste-list"),
    path("waste/new/", waste.WasteCreateView.as_view(), name="waste-create"),
    path("waste/<int:pk>/void/", waste.WasteVoidView.as_view(), name="waste-void"),
    path("overview/", overview.OverviewView.as_view(), name="overview"),
    path("fire/", fire.FireFileView.as_view(), name="fire-file"),
    path("fire/people/", fire.FirePersonView.as_view(), name="fire-person"),
]
