from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


class Rhythm(models.TextChoices):
    HOURS = "hours", _("每日每隔N小时")
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")


class Result(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    NA = "na", _("不适用")


class InstitutionFlag(models.TextChoices):
    NONE = "", _("不限")
    FIRE_KEY_UNIT = "is_fire_key_unit", _("消防安全重点单位")
    FIRE_HIGH_RISK = "is_fire_high_risk", _("火灾高危单位")
    ELDERLY_CARE = "is_elderly_care", _("老年医养护理场所")


class InspectionState(models.TextChoices):
    """An inspection (a schedule's period, a supervision's checklist): due until a record is filed for
    it. Not stored: a record exists or not (``workflow.Inspection``)."""

    DUE = "due", _("待检查")
    DONE = "done", _("已完成")
