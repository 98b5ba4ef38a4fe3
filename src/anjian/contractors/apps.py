from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractorsConfig(AppConfig):
    name = "anjian.contractors"
    verbose_name = _("相关方与危险作业")
    default_auto_field = "django.db.models.BigAutoField"
