from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "anjian.registers"
    label = "registers"
    verbose_name = _("安全台账（特种设备、消防设施、危化品、废物）")
