from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")


class ReviewState(models.TextChoices):
    NONE = "", _("无")
    PENDING = "pending", _("待审核")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已确认完成")


class Rhythm(models.TextChoices):
    NONE = "", _("不定期")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("月报")
    QUARTERLY = "quarterly", _("季报")


class HolidayShift(models.TextChoices):
    NONE = "none", _("不顺延")
    NEXT_WORKDAY = "next_workday", _("遇节假日顺延至下一个工作日")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")


class DraftStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已导入")
