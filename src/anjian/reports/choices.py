from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    RECTIFICATION = "rectification", _("隐患整改通知书")
    SUPERVISION = "supervision", _("挂牌督办通知书")
    INTERVIEW = "interview", _("约谈通知")
