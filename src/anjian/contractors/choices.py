"""The choices of contractors and work permits, with their Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PermitStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVING = "approving", _("审批中")
    APPROVED = "approved", _("已批准待作业")
    ACTIVE = "active", _("作业中")
    SUSPENDED = "suspended", _("已暂停")
    CLOSED = "closed", _("已关闭")
    REJECTED = "rejected", _("已驳回")
    CANCELLED = "cancelled", _("已取消")


class ApprovalStep(models.TextChoices):
    """The steps of a permit's approval, in this order; a kind names the ones it needs."""

    DEPARTMENT = "department", _("所在科室负责人审核")
    SAFETY_OFFICE = "safety_office", _("安全管理部门审批")
    PRINCIPAL = "principal", _("单位主要负责人审批")


STEP_ORDER = [ApprovalStep.DEPARTMENT, ApprovalStep.SAFETY_OFFICE, ApprovalStep.PRINCIPAL]

STATUS_CSS = {
    PermitStatus.DRAFT: "secondary",
    PermitStatus.APPROVING: "warning",
    PermitStatus.APPROVED: "info",
    PermitStatus.ACTIVE: "success",
    PermitStatus.SUSPENDED: "orange",
    PermitStatus.CLOSED: "secondary",
    PermitStatus.REJECTED: "danger",
    PermitStatus.CANCELLED: "secondary",
}
LIVE = frozenset({PermitStatus.ACTIVE, PermitStatus.SUSPENDED})  # work under way (paused or not)
