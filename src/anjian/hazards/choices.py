from django.db import models
from django.utils.translation import gettext_lazy as _


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("一般事故隐患")
    MAJOR = "major", _("重大事故隐患")


class HazardSource(models.TextChoices):
    SELF_INSPECTION = "self_inspection", _("自查")
    SUPERVISION = "supervision", _("督导检查")
    THIRD_PARTY = "third_party", _("第三方")
    TIP_OFF = "tip_off", _("举报")
    ASSIGNED = "assigned", _("上级交办")
    DRILL = "drill", _("应急演练")
    EQUIPMENT_CHECK = "equipment_check", _("设施设备检验")
    WORK_PERMIT = "work_permit", _("作业许可检查")
    OTHER = "other", _("其他")


class HazardStatus(models.TextChoices):
    REPORTED = "reported", _("待确认")
    RECTIFYING = "rectifying", _("整改中")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("待验收")
    CLOSED = "closed", _("已销号")
    DISMISSED = "dismissed", _("已撤销")


OPEN_STATUSES = (HazardStatus.REPORTED, HazardStatus.RECTIFYING, HazardStatus.AWAITING_ACCEPTANCE)


class PhotoPhase(models.TextChoices):
    BEFORE = "before", _("整改前")
    AFTER = "after", _("整改后")


class SupervisionLevel(models.TextChoices):
    DISTRICT = "district", _("区级挂牌督办")
    CITY = "city", _("市级挂牌督办")


class PostponementDecision(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
