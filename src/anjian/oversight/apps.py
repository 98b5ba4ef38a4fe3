from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "anjian.oversight"
    label = "oversight"
    verbose_name = _("监管工具（举报、事故、考核）")
