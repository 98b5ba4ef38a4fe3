from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScaleConfig(AppConfig):
    """A city-sized synthetic data set for benchmarks (``manage.py generate_scale``); no models."""

    name = "anjian.scale"
    label = "scale"
    verbose_name = _("规模测试数据")
