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

        # what the cached dashboards count: a write to any of these serves fresh figures at once;
        # each part of a dashboard is counted again only after a write to its own topic
        places = (Organization, Department, Engagement)
        resultcache.watch(Hazard, HazardCategory, *places, topic="hazards")
        resultcache.watch(InspectionRecord, Schedule, InspectionPoint, *places, topic="inspections")
        resultcache.watch(Plan, Task, Assignment, ProgressReport, *places, topic="tasks")
