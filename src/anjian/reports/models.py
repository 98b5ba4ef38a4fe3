"""Official forms: the editable texts of notices (versioned), the notices issued from them, and the
topics (专题专项) of the monthly statistics form with the hazard categories each counts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import ScopedManager
from anjian.reports.choices import NoticeKind

USER = settings.AUTH_USER_MODEL


class NoticeTemplate(models.Model):
    """One version of the text of a kind of notice. Editing saves a new version: a notice issued
    earlier keeps pointing at the text it was made from. Shared by the platform (no organization)."""

    kind = models.CharField(_("文书种类"), max_length=20, choices=NoticeKind.choices)
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("标题"), max_length=100)
    red_head = models.CharField(
        _("红头（发文机关标志）"), max_length=100, blank=True, help_text=_("留空则不套红头，如“{发文机关}文件”")
    )
    number_format = models.CharField(_("文号格式"), max_length=100, default="{机关代字}〔{年}〕{序号}号")
    body = models.TextField(_("正文"), help_text=_("每行一段；花括号中的占位符在出具时替换为实际内容"))
    signature = models.CharField(_("落款（发文机关署名）"), max_length=100, default="{发文机关}")
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="notice_template_unique_version")]

    def __str__(self) -> str:
        return str(_("%(name)s（第%(v)s版）") % {"name": self.get_kind_display(), "v": self.version})


class Notice(models.Model):
    """A notice as issued: its number and the text as it was rendered then, addressed to an institution.

    A notice is never changed: issued again (重新出具, a new deadline say), it gets a new number as
    the next ``version`` and points at the one it ``replaces``; that one stays, no longer current,
    marked 已被第N版取代, and both can be read and downloaded. One current notice per hazard (or
    interview) and kind."""

    scope_field = "organization"

    kind = models.CharField(_("文书种类"), max_length=20, choices=NoticeKind.choices)
    number = models.CharField(_("文号"), max_length=60)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("受文机构"), on_delete=models.PROTECT, related_name="notices"
    )
    issuer = models.ForeignKey(
        "orgs.Organization", verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="+"
    )
    hazard = models.ForeignKey(
        "hazards.Hazard", verbose_name=_("隐患"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interview = models.ForeignKey(
        "inspections.Interview",
        verbose_name=_("约谈"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    template = models.ForeignKey(NoticeTemplate, verbose_name=_("模板"), on_delete=models.PROTECT, related_name="+")
    red_head = models.CharField(_("红头"), max_length=200, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    addressee = models.CharField(_("主送"), max_length=200)
    body = models.TextField(_("正文"))
    signature = models.CharField(_("落款"), max_length=200)
    issued_on = models.DateField(_("成文日期"))
    issued_by = models.ForeignKey(USER, verbose_name=_("出具人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("出具时间"), auto_now_add=True)
    deadline = models.DateField(
        _("整改期限"), null=True, blank=True, help_text=_("通知书要求的整改期限（隐患尚未确定整改期限时由出具人填写）")
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("取代的通知书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    reissue_reason = models.CharField(_("重新出具的原因"), max_length=200, blank=True)
    is_current = models.BooleanField(_("现行版本"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("通知书")
        verbose_name_plural = _("通知书")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "hazard"],
                condition=Q(hazard__isnull=False, is_current=True),
                name="notice_one_current_per_hazard_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "interview"],
                condition=Q(interview__isnull=False, is_current=True),
                name="notice_one_current_per_interview",
            ),
            models.UniqueConstraint(
                fields=["kind", "hazard", "version"], condition=Q(hazard__isnull=False), name="notice_hazard_version"
            ),
            models.UniqueConstraint(
                fields=["kind", "interview", "version"],
                condition=Q(interview__isnull=False),
                name="notice_interview_version",
            ),
        ]

    def __str__(self) -> str:
        if self.version > 1:
            return f"{self.number} {self.title}（第{self.version}版）"
        return f"{self.number} {self.title}"

    @property
    def successor(self):
        """The version that replaced this one, or None (``replaced_by`` without the exception)."""
        try:
            return self.replaced_by
        except Notice.DoesNotExist:
            return None


class StatisticsTopic(models.Model):
    """A row (专题专项) of the monthly statistics form; hazards count in the topic of their category."""

    name = models.CharField(_("专题名称"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    categories = models.ManyToManyField(
        "hazards.HazardCategory",
        verbose_name=_("统计的隐患类别"),
        through="TopicCategory",
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("统计专题")
        verbose_name_plural = _("统计专题")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class TopicCategory(models.Model):
    """A hazard category counted in a topic: each category in one topic at most, so no hazard counts twice."""

    topic = models.ForeignKey(StatisticsTopic, on_delete=models.CASCADE, related_name="+")
    category = models.OneToOneField("hazards.HazardCategory", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("专题的隐患类别")
        verbose_name_plural = _("专题的隐患类别")

    def __str__(self) -> str:
        return f"{self.topic_id}: {self.category_id}"
