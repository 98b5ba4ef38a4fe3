from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    name = "anjian.action_plans"
    label = "action_plans"
    verbose_name = _("任务清单与调度报送")
