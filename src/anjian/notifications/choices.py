from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about: the catalogue (``catalogue.py`` for the events, ``scan.py`` and
    ``duties.py`` for what time brings) says who receives each. The label is also the message's
    headline (【label】 before the object's number and title): one list of names, nowhere else."""

    HAZARD_REPORTED = "hazard_reported", _("新登记隐患")
    MAJOR_HAZARD_REPORTED = "major_hazard_reported", _("重大事故隐患报告")
    HAZARD_ASSIGNED = "hazard_assigned", _("隐患整改任务")
    HAZARD_REJECTED = "hazard_rejected", _("整改验收不通过")
    HAZARD_AWAITING_ACCEPTANCE = "hazard_awaiting_acceptance", _("隐患待审核验收")
    HAZARD_POSTPONE_REQUESTED = "hazard_postpone_requested", _("延期申请待审批")
    HAZARD_SUPERVISED = "hazard_supervised", _("挂牌督办")
    NOTICE_ISSUED = "notice_issued", _("收到通知书")
    HAZARD_DUE_SOON = "hazard_due_soon", _("隐患整改即将到期")
    HAZARD_OVERDUE = "hazard_overdue", _("隐患整改逾期")
    HAZARD_ESCALATED = "hazard_escalated", _("逾期隐患逐级督办")
    SUPERVISION_DUE_SOON = "supervision_due_soon", _("挂牌督办即将到期")
    SUPERVISION_OVERDUE = "supervision_overdue", _("挂牌督办逾期")
    TASK_DUE_SOON = "task_due_soon", _("重点任务临期")
    TASK_OVERDUE = "task_overdue", _("重点任务逾期")
    TASK_PROGRESS_DUE = "task_progress_due", _("重点任务待报进展")
    TASK_RETURNED = "task_returned", _("任务进展被退回")
    INSPECTION_MISSED = "inspection_missed", _("排查计划漏检")
    REPORT_DUE_SOON = "report_due_soon", _("报表临近报送期限")
    REPORT_OVERDUE = "report_overdue", _("报表逾期未报送")
    CERTIFICATE_EXPIRING = "certificate_expiring", _("证书即将到期")
    CERTIFICATE_EXPIRED = "certificate_expired", _("证书已过期")
    EQUIPMENT_DUE_SOON = "equipment_due_soon", _("设备临近检验期限")
    EQUIPMENT_OVERDUE = "equipment_overdue", _("设备逾期未检验")


# pushed by SMS unless the person chooses otherwise: the ones that cannot wait for the next login
SMS_DEFAULT_KINDS = (
    Kind.MAJOR_HAZARD_REPORTED,
    Kind.HAZARD_SUPERVISED,
    Kind.HAZARD_ESCALATED,
    Kind.SUPERVISION_OVERDUE,
)


class Medium(models.TextChoices):
    """How a message travels: to an organization's channel (a group robot or a shared mailbox: the
    first four, ``CHANNEL_KINDS``), or to one person's email or phone (email, SMS)."""

    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")
    FEISHU = "feishu", _("飞书群机器人")
    EMAIL = "email", _("邮件")
    SMS = "sms", _("短信")


# what an organization's channel may be: every medium but SMS (a person's phone, never a group's)
CHANNEL_KINDS = (Medium.WECOM, Medium.DINGTALK, Medium.FEISHU, Medium.EMAIL)
CHANNEL_KIND_CHOICES = [(m.value, m.label) for m in CHANNEL_KINDS]
ROBOTS = (Medium.WECOM, Medium.DINGTALK, Medium.FEISHU)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败（已停止重试）")


class Audience(models.TextChoices):
    """The rungs of the escalation ladder (逐级督办), lowest first."""

    DEPARTMENT_HEAD = "department_head", _("科室负责人")
    SAFETY_OFFICER = "safety_officer", _("安全管理员")
    PRINCIPAL = "principal", _("主要负责人")
    REGULATOR = "regulator", _("监管部门")


# the default thresholds (days overdue), editable by administrators (EscalationStep)
DEFAULT_LADDER = {
    Audience.DEPARTMENT_HEAD: 1,
    Audience.SAFETY_OFFICER: 3,
    Audience.PRINCIPAL: 7,
    Audience.REGULATOR: 14,
}
