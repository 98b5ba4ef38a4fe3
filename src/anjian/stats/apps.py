from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "anjian.stats"
    label = "stats"
    verbose_name = _("统计分析")

    def ready(self) -> None:
        from anjian.action_plans.models import Assignment, Plan, ProgressReport, Task
        from anjian.core import resultcache
        from anjian.hazards.models import Hazard, HazardCategory
        from anjian.inspections.models import InspectionPoint, InspectionRecord, Schedule
        from anjian.orgs.models import Department, Engagement, Organization

        # what the cached dashboards count: a write to any of these serves fresh figures at once
        resultcache.watch(
            Hazard,
            HazardCategory,
            InspectionRecord,
            Schedule,
            InspectionPoint,
            Plan,
            Task,
            Assignment,
            ProgressReport,
            Organization,
            Department,
            Engagement,
        )
