"""The inbox (Notification), the channels an organization pushes to (Channel), each person's
preferences (Preference), every message on its way out (Delivery) with its attempts
(DeliveryAttempt), the escalation ladder's thresholds (EscalationStep), and the bookkeeping that
makes the dispatcher and the periodic scan safe on several hosts (DispatchedEvent, JobLock)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import crypto
from anjian.core.scoping import ScopedManager
from anjian.notifications.choices import CHANNEL_KIND_CHOICES, Audience, DeliveryStatus, Kind, Medium

USER = settings.AUTH_USER_MODEL


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person's own inbox only, whatever their role: a regulator's scope over the
        organizations below it does not open their people's inboxes."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(recipient=user)


class Notification(models.Model):
    """One item of one person's inbox. ``key`` names the event × recipient, so that the
    dispatcher and the scan, run twice or on two hosts, write it once. ``scope_field`` says whose
    organization it concerns; ``visible_to`` is narrower: the recipient's own items only."""

    scope_field = "organization"

    recipient = models.ForeignKey(USER, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("类型"), max_length=40, choices=Kind.choices)
    key = models.CharField(max_length=200, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    target_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Channel(models.Model):
    """A group robot (WeCom, DingTalk, Feishu) or a shared mailbox of an organization: every message
    for someone of that organization is posted there once."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("渠道类型"), max_length=20, choices=CHANNEL_KIND_CHOICES)
    name = models.CharField(_("名称"), max_length=60)
    # both encrypted at rest (core.crypto: the URL holds the robot's key or access_token); read
    # them through ``webhook_url`` and ``signing_secret``
    url = models.CharField(
        _("Webhook 地址或邮箱"),
        max_length=1000,
        help_text=_("群机器人的 Webhook 地址；邮件渠道填写收件邮箱，多个用逗号分隔"),
    )
    secret = models.CharField(_("加签密钥"), max_length=500, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("消息渠道")
        verbose_name_plural = _("消息渠道")
        ordering = ["organization_id", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    @property
    def webhook_url(self) -> str:
        return crypto.decrypt(self.url)

    @property
    def signing_secret(self) -> str:
        return crypto.decrypt(self.secret)


class Preference(models.Model):
    """What one person wants pushed outside the inbox, by which medium, and when not."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="+")
    email_kinds = models.JSONField(_("邮件提醒的消息类型"), default=list, blank=True)
    sms_kinds = models.JSONField(_("短信提醒的消息类型"), default=list, blank=True)
    quiet_start = models.TimeField(_("免打扰开始"), null=True, blank=True)
    quiet_end = models.TimeField(_("免打扰结束"), null=True, blank=True)
    daily_digest = models.BooleanField(
        _("每日汇总邮件"), default=False, help_text=_("邮件不逐条发送，每天早上汇总前一天的未读消息发一封")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")

    def __str__(self) -> str:
        return str(self.user)


class Delivery(models.Model):
    """One message on its way out through one medium: to an organization's channel (``channel``) or
    to one person (``recipient``: email, SMS). ``key`` makes it once per event × destination; its
    status and attempts are the delivery log; a failed attempt is retried later with back-off."""

    scope_field = "organization"

    key = models.CharField(max_length=200, unique=True)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("消息类型"), max_length=40, choices=Kind.choices)
    medium = models.CharField(_("方式"), max_length=20, choices=Medium.choices)
    channel = models.ForeignKey(
        Channel, verbose_name=_("渠道"), null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        USER, verbose_name=_("接收人"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=400, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.TextField(_("失败原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("消息发送")
        verbose_name_plural = _("消息发送")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_medium_display()} {self.title}"


class DeliveryAttempt(models.Model):
    """One try of a delivery: when, whether it went, and why not."""

    scope_field = "delivery__organization"

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    ok = models.BooleanField(_("成功"))
    detail = models.TextField(_("说明"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'OK' if self.ok else 'FAILED'}"


class EscalationStep(models.Model):
    """A rung of the ladder: an open hazard this many days past its deadline reaches ``audience``."""

    audience = models.CharField(_("督办对象"), max_length=20, choices=Audience.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("逾期天数"))

    class Meta:
        verbose_name = _("逐级督办")
        verbose_name_plural = _("逐级督办")
        ordering = ["days", "pk"]

    def __str__(self) -> str:
        return f"{self.days} → {self.get_audience_display()}"


class DispatchedEvent(models.Model):
    """An audit event the dispatcher has turned into notifications (its id: the events may be
    archived and pruned, these rows stay small). Unique, so two dispatchers take each event once."""

    event_id = models.BigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    error = models.TextField(blank=True)  # why dispatching it failed (logged too); it is not tried again

    def __str__(self) -> str:
        return str(self.event_id)


class JobLock(models.Model):
    """A row a periodic job locks (``select_for_update(skip_locked=True)``) so that, started on
    several hosts at once, one runs and the others step aside."""

    name = models.CharField(max_length=40, unique=True)

    def __str__(self) -> str:
        return self.name
