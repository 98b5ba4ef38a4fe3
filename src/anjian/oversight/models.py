"""The regulator's toolkit: public tip-offs (举报) with their photos, accident reports (事故快报 and
the full report), and the annual assessment of institutions (考核)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import ScopedManager
from anjian.orgs.choices import InstitutionKind
from anjian.oversight.choices import (
    AccidentStage,
    ApprovalStatus,
    AssessmentStatus,
    DocumentKind,
    IndicatorKind,
    PublicTipStatus,
    RewardStatus,
    TipStatus,
)
from anjian.risks.choices import AccidentType

USER = settings.AUTH_USER_MODEL
# 《生产安全事故报告和调查处理条例》第九条: the unit's head reports within 1 hour of learning of it
QUICK_REPORT_HOURS = getattr(settings, "ACCIDENT_QUICK_REPORT_HOURS", 1)


class Tip(models.Model):
    """A tip-off from the public (or staff), handled by the regulator of the institution it names
    (or of the district chosen for an address). The contact, when given, is encrypted at rest
    (``core.crypto``): only the regulator's tip handlers read it, each read audited."""

    scope_field = "regulator"  # the handling regulator's jurisdiction; never the institution named

    receipt_code = models.CharField(_("受理回执码"), max_length=16, unique=True, editable=False)
    number = models.CharField(_("举报编号"), max_length=20, unique=True, editable=False)
    regulator = models.ForeignKey(
        "orgs.Organization", verbose_name=_("受理部门"), on_delete=models.PROTECT, related_name="tips_handled"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("被举报机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tips",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    location = models.CharField(_("具体位置"), max_length=200, blank=True)
    description = models.TextField(_("举报内容"))
    contact_encrypted = models.TextField(_("联系方式（加密）"), blank=True, editable=False)
    is_internal = models.BooleanField(_("内部职工举报"), default=False)
    reporter = models.ForeignKey(
        USER, verbose_name=_("举报人账号"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=20, choices=TipStatus.choices, default=TipStatus.RECEIVED)
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("登记的隐患"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tip",
    )
    dismiss_reason = models.TextField(_("不予受理理由"), blank=True)
    handled_by = models.ForeignKey(
        USER, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    reply = models.TextField(_("答复举报人"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reward_status = models.CharField(
        _("奖励"), max_length=20, choices=RewardStatus.choices, default=RewardStatus.NONE, blank=True
    )
    reward_amount = models.DecimalField(
        _("奖励金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    reward_note = models.TextField(_("奖励理由"), blank=True)
    reward_proposed_by = models.ForeignKey(
        USER, verbose_name=_("奖励提出人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reward_decided_by = models.ForeignKey(
        USER, verbose_name=_("奖励审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reward_decided_at = models.DateTimeField(_("奖励审批时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("举报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("群众举报")
        verbose_name_plural = _("群众举报")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["regulator", "status"], name="tip_regulator_status")]

    def __str__(self) -> str:
        return str(_("举报 %(number)s") % {"number": self.number})

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_encrypted)

    @property
    def public_status(self) -> str:
        """What the reporter is told: closed once the hazard the tip became is closed."""
        if self.status == TipStatus.DISMISSED:
            return PublicTipStatus.DISMISSED
        if self.status == TipStatus.ACCEPTED:
            if self.hazard is not None and self.hazard.status == "closed":
                return PublicTipStatus.CLOSED
            return PublicTipStatus.ACCEPTED
        return PublicTipStatus.RECEIVED

    @property
    def place(self) -> str:
        where = self.organization.name if self.organization_id else self.address
        return " · ".join(x for x in (where, self.location) if x)


class TipPhoto(models.Model):
    """A photo of a tip, stored as ``core.images`` re-encodes it: no EXIF (no GPS position)."""

    scope_field = "tip__regulator"

    tip = models.ForeignKey(Tip, verbose_name=_("举报"), on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="tips/%Y/%m/")
    thumbnail = models.ImageField(_("缩略图"), upload_to="tips/%Y/%m/thumbs/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("举报照片")
        verbose_name_plural = _("举报照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(_("举报照片 %(pk)s") % {"pk": self.pk})


class Accident(models.Model):
    """An accident at an institution: the quick report (快报) first, completed by the full report."""

    scope_field = "organization"

    number = models.CharField(_("事故编号"), max_length=20, unique=True, editable=False)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("发生单位"), on_delete=models.PROTECT, related_name="accidents"
    )
    stage = models.CharField(_("报告阶段"), max_length=10, choices=AccidentStage.choices, default=AccidentStage.QUICK)
    occurred_at = models.DateTimeField(_("发生时间"), db_index=True)
    place = models.CharField(_("发生地点"), max_length=200)
    kind = models.CharField(_("事故类别"), max_length=20, choices=AccidentType.choices)
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0, validators=[MaxValueValidator(10000)])
    injuries = models.PositiveIntegerField(_("受伤人数"), default=0, validators=[MaxValueValidator(100000)])
    direct_loss = models.DecimalField(
        _("直接经济损失（万元）"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    description = models.TextField(_("事故简要经过"))
    cause = models.TextField(_("事故原因"), blank=True)
    measures = models.TextField(_("整改和防范措施"), blank=True)
    hazards = models.ManyToManyField("hazards.Hazard", verbose_name=_("关联隐患"), blank=True, related_name="accidents")
    reported_by = models.ForeignKey(USER, verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("快报时间"))
    completed_by = models.ForeignKey(
        USER, verbose_name=_("完整报告人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(_("完整报告时间"), null=True, blank=True)
    is_void = models.BooleanField(_("已作废"), default=False)
    void_reason = models.TextField(_("作废理由"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("事故报告")
        verbose_name_plural = _("事故报告")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def quick_hours(self) -> float:
        """Hours from the accident to its quick report (the legal limit is 1 hour)."""
        return round((self.reported_at - self.occurred_at).total_seconds() / 3600, 1)

    @property
    def quick_late(self) -> bool:
        """The quick report came later than the legal time (``QUICK_REPORT_HOURS`` after the accident)."""
        return (self.reported_at - self.occurred_at).total_seconds() > QUICK_REPORT_HOURS * 3600


class Indicator(models.Model):
    """One indicator of a regulator's assessment set (editable; weights are points out of 100). A
    data-driven indicator names its ``metric`` (``oversight.assessment.METRICS``); a veto item
    scores nothing and, when it applies, makes the institution's result "不合格" whatever its score."""

    scope_field = "regulator"

    regulator = models.ForeignKey(
        "orgs.Organization", verbose_name=_("监管部门"), on_delete=models.PROTECT, related_name="indicators"
    )
    name = models.CharField(_("指标名称"), max_length=100)
    kind = models.CharField(_("计分方式"), max_length=10, choices=IndicatorKind.choices)
    metric = models.CharField(_("数据指标"), max_length=40, blank=True)
    weight = models.DecimalField(
        _("分值"), max_digits=5, decimal_places=1, default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    is_veto = models.BooleanField(_("一票否决项"), default=False)
    description = models.TextField(_("评分标准"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """One year's assessment of the institutions below a regulator."""

    scope_field = "regulator"

    regulator = models.ForeignKey(
        "orgs.Organization", verbose_name=_("监管部门"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("考核年度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    created_by = models.ForeignKey(USER, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    # the score sheet as published (oversight.assessment.frozen): what institutions see, unchanged
    # by later data
    results = models.JSONField(_("考核结果"), default=list, blank=True, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year", "pk"]
        constraints = [models.UniqueConstraint(fields=["regulator", "year"], name="assessment_one_per_year")]

    def __str__(self) -> str:
        return str(_("%(year)s年度安全生产考核") % {"year": self.year})


class ManualScore(models.Model):
    """A hand-scored indicator (or a veto item) of one institution in one assessment, with its evidence."""

    scope_field = "organization"

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("年度考核"), on_delete=models.PROTECT, related_name="scores"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, default=0, validators=[MinValueValidator(0)])
    vetoed = models.BooleanField(_("否决"), default=False)
    evidence = models.TextField(_("评分依据"), blank=True)
    scored_by = models.ForeignKey(USER, verbose_name=_("评分人"), on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(_("评分时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("考核人工评分")
        verbose_name_plural = _("考核人工评分")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "organization", "indicator"], name="manualscore_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.indicator}"


class RegulatorDocument(models.Model):
    """A regulator's document: 通报 (naming institutions and problems, to the institutions of a
    district or kind), 督促函, 移交函 (a case handed to another department). Drafted, then approved
    by another regulator user, then issued with its number; the docx is in the notices' layout.

    Once issued, a 通报 reaches every active institution of the regulator's district (of
    ``audience_kind`` when set) and a 督促函 the institutions it names: they read it among their
    received documents (``selectors.documents_received``); a 移交函 goes outside the platform."""

    scope_field = "regulator"

    regulator = models.ForeignKey(
        "orgs.Organization", verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("文书类型"), max_length=10, choices=DocumentKind.choices)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    addressee = models.CharField(_("主送"), max_length=200)
    body = models.TextField(_("正文"))
    institutions = models.ManyToManyField("orgs.Organization", verbose_name=_("涉及机构"), blank=True, related_name="+")
    audience_kind = models.CharField(
        _("通报范围"),
        max_length=32,
        choices=InstitutionKind.choices,
        blank=True,
        help_text=_("通报发给辖区内这一类别的全部机构；不选则发给辖区全部机构"),
    )
    receiving_body = models.CharField(_("接收单位（移交）"), max_length=200, blank=True)
    handed_over_on = models.DateField(_("移交日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    drafted_by = models.ForeignKey(USER, verbose_name=_("拟稿人"), on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        USER, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(_("审批意见"), blank=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("拟稿时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("监管文书")
        verbose_name_plural = _("监管文书")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number or self.title}"

    @property
    def audience_label(self) -> str:
        """To whom a circular goes: 辖区全部机构, or 辖区全部 + a kind."""
        if self.audience_kind:
            return str(_("辖区全部%(kind)s") % {"kind": self.get_audience_kind_display()})
        return str(_("辖区全部机构"))

    # what reports.docx.notice_docx reads
    is_current = True
    successor = None

    @property
    def red_head(self) -> str:
        return self.regulator.name

    @property
    def signature(self) -> str:
        return self.regulator.name


class Exposure(models.Model):
    """A hazard the regulator exposes on the public 隐患曝光台, after an approval: shown with the
    institution's name, the problem, the deadline and the status; never a person's name."""

    scope_field = "regulator"

    regulator = models.ForeignKey(
        "orgs.Organization", verbose_name=_("监管部门"), on_delete=models.PROTECT, related_name="exposures"
    )
    hazard = models.ForeignKey("hazards.Hazard", verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="+")
    problem = models.CharField(_("曝光内容"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    proposed_by = models.ForeignKey(USER, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        USER, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("曝光时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("隐患曝光")
        verbose_name_plural = _("隐患曝光")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.problem
