from django.db import models
from django.utils.translation import gettext_lazy as _


class TipStatus(models.TextChoices):
    RECEIVED = "received", _("待处理")
    ACCEPTED = "accepted", _("已受理")
    DISMISSED = "dismissed", _("不予受理")


class PublicTipStatus(models.TextChoices):
    """What the reporter sees with the receipt code: no names, no ledger details."""

    RECEIVED = "received", _("已收到，正在核查")
    ACCEPTED = "accepted", _("已受理，正在督促整改")
    CLOSED = "closed", _("已办结：隐患已整改销号")
    DISMISSED = "dismissed", _("已办结：不予受理")


class RewardStatus(models.TextChoices):
    NONE = "", _("未提出")
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class AccidentStage(models.TextChoices):
    QUICK = "quick", _("事故快报")
    FULL = "full", _("完整报告")


class IndicatorKind(models.TextChoices):
    DATA = "data", _("平台数据计算")
    MANUAL = "manual", _("人工评分（附依据）")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("评分中")
    PUBLISHED = "published", _("已发布")


class DocumentKind(models.TextChoices):
    CIRCULAR = "circular", _("通报")
    URGE = "urge", _("督促函")
    TRANSFER = "transfer", _("移交函")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤下")
