"""Pages of the risk register: risk points and risks (colour-coded), the assessment form, the
regulator's overview, the post cards (两单两卡, read on a phone from a QR code, acknowledged), the
four-colour map and the risk notice boards. Thin: selectors read, services write.

One module per part: ``register`` (points, risks, measures, the table, the overview, the methods),
``cards`` (两单两卡), ``maps`` (the four-colour map and the notice boards); ``common`` holds the
levels and the manage rule they share. ``risks/urls.py`` names the views through the package."""

from anjian.risks.views.cards import (
    CardAcknowledgeView,
    CardDetailView,
    CardEditView,
    CardListView,
    CardScanView,
)
from anjian.risks.views.maps import (
    AreaCreateView,
    AreaNoticeView,
    PlanDetailView,
    PlanImageView,
    PlanListView,
    PlanUploadView,
)
from anjian.risks.views.register import (
    MeasureAddView,
    MeasureSetActiveView,
    MethodListView,
    MethodVersionView,
    OverviewView,
    PointChecklistView,
    PointCreateView,
    PointDetailView,
    PointEditView,
    PointListView,
    PointSetActiveView,
    RiskCreateView,
    RiskDetailView,
    RiskEditView,
    RiskHazardReportView,
    RiskReassessView,
    RiskSetActiveView,
    RiskTableView,
)

__all__ = [
    "AreaCreateView",
    "AreaNoticeView",
    "CardAcknowledgeView",
    "CardDetailView",
    "CardEditView",
    "CardListView",
    "CardScanView",
    "MeasureAddView",
    "MeasureSetActiveView",
    "MethodListView",
    "MethodVersionView",
    "OverviewView",
    "PlanDetailView",
    "PlanImageView",
    "PlanListView",
    "PlanUploadView",
    "PointChecklistView",
    "PointCreateView",
    "PointDetailView",
    "PointEditView",
    "PointListView",
    "PointSetActiveView",
    "RiskCreateView",
    "RiskDetailView",
    "RiskEditView",
    "RiskHazardReportView",
    "RiskReassessView",
    "RiskSetActiveView",
    "RiskTableView",
]
