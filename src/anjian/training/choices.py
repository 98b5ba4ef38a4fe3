from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceMethod(models.TextChoices):
    LIST = "list", _("按名单登记")
    QR = "qr", _("扫码签到")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    TRUE_FALSE = "true_false", _("判断题")


class PlanKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合应急预案")
    SPECIAL = "special", _("专项应急预案")
    ONSITE = "onsite", _("现场处置方案")


class DrillStatus(models.TextChoices):
    """A drill planned ahead (shown as upcoming), then recorded once held, or cancelled."""

    PLANNED = "planned", _("计划中")
    DONE = "done", _("已开展")
    CANCELLED = "cancelled", _("已取消")


class RhythmState(models.TextChoices):
    DONE = "done", _("本期已开展")
    DUE = "due", _("本期待开展")
    OVERDUE = "overdue", _("逾期未开展")


# How many days ahead an expiring certificate is shown, nearest first (60/30/7 days).
EXPIRY_WINDOWS = (7, 30, 60)
# How many days from today the fire-control room roster is checked for uncovered shifts (the roster page shows as many).
ROSTER_LOOKAHEAD_DAYS = 7
