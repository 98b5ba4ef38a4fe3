from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "anjian.training"
    label = "training"
    verbose_name = _("培训演练与持证上岗")
