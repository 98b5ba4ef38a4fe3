"""Contractors (相关方: 承包商、外包服务单位) of an institution and the permits for dangerous work
(危险作业票, GB 30871-2022) done on its premises.

A contractor's documents (qualification certificates, the safety agreement, insurance) carry an
expiry date: an expired one blocks new permits for it (``contractors.rules``). A worker's ID number
is stored encrypted (``core.crypto``) with a keyed hash to find duplicates; pages, exports and the
API show only its mask.

The kinds of work are reference data shared by the platform (动火 特级/一级/二级, 受限空间, 高处,
临时用电, 吊装, 动土, 断路): each kind's safety checks, whether a gas test is required and how long
one stays valid, whether the principal approves. A permit moves through the states of
``contractors.workflow``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.contractors.choices import STEP_ORDER, ApprovalStep, PermitStatus
from anjian.core.scoping import ScopedManager
from anjian.orgs.validators import validate_credit_code

USER = settings.AUTH_USER_MODEL


# --- contractors ---------------------------------------------------------------------------------
class Contractor(models.Model):
    """A company working for the institution: building works, lifts, security, cleaning, catering…"""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="contractors"
    )
    name = models.CharField(_("单位名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_credit_code])
    services = models.CharField(_("服务内容"), max_length=200, help_text=_("如：保安、保洁、电梯维保、基建施工"))
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    insurance_expires_on = models.DateField(_("安全生产责任保险到期日"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("相关方单位")
        verbose_name_plural = _("相关方单位")
        ordering = ["organization_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "credit_code"],
                name="contractor_unique_code",
                violation_error_message=_("本机构已登记该统一社会信用代码的相关方。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contractors:contractor-detail", args=[self.pk])


class Qualification(models.Model):
    """A certificate the contractor holds (资质证书、安全生产许可证…), with its expiry."""

    scope_field = "contractor__organization"

    contractor = models.ForeignKey(
        Contractor, verbose_name=_("相关方单位"), on_delete=models.PROTECT, related_name="qualifications"
    )
    name = models.CharField(_("证书名称"), max_length=100)
    number = models.CharField(_("证书编号"), max_length=60, blank=True)
    expires_on = models.DateField(_("有效期至"))
    file = models.FileField(_("证书扫描件"), upload_to="contractors/qualifications/%Y/", blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("相关方资质证书")
        verbose_name_plural = _("相关方资质证书")
        ordering = ["contractor_id", "expires_on", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.number}".strip()


class SafetyAgreement(models.Model):
    """安全生产管理协议: who signed it for both sides, and the period it covers."""

    scope_field = "contractor__organization"

    contractor = models.ForeignKey(
        Contractor, verbose_name=_("相关方单位"), on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(_("协议名称"), max_length=100)
    starts_on = models.DateField(_("生效日期"))
    ends_on = models.DateField(_("到期日期"))
    institution_signatory = models.CharField(_("本单位签订人"), max_length=40)
    contractor_signatory = models.CharField(_("相关方签订人"), max_length=40)
    file = models.FileField(_("协议文本"), upload_to="contractors/agreements/%Y/", blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("安全生产管理协议")
        verbose_name_plural = _("安全生产管理协议")
        ordering = ["contractor_id", "-ends_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="agreement_dates_in_order",
                violation_error_message=_("协议到期日期不能早于生效日期。"),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Worker(models.Model):
    """A contractor's worker on site. The ID number is never stored or shown in clear."""

    scope_field = "contractor__organization"

    contractor = models.ForeignKey(
        Contractor, verbose_name=_("相关方单位"), on_delete=models.PROTECT, related_name="workers"
    )
    name = models.CharField(_("姓名"), max_length=40)
    id_number_encrypted = models.TextField(_("身份证号（加密）"), editable=False)
    id_number_index = models.CharField(max_length=64, editable=False, db_index=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=24, editable=False)
    work_type = models.CharField(_("工种"), max_length=40, blank=True)
    certificate = models.CharField(_("特种作业操作证"), max_length=100, blank=True, help_text=_("证书类别和编号"))
    certificate_expires_on = models.DateField(_("操作证有效期至"), null=True, blank=True)
    briefed_on = models.DateField(_("安全教育交底日期"), null=True, blank=True)
    is_active = models.BooleanField(_("在场"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("相关方作业人员")
        verbose_name_plural = _("相关方作业人员")
        ordering = ["contractor_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contractor", "id_number_index"],
                name="worker_unique_id_number",
                violation_error_message=_("该相关方已登记此身份证号的人员。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"


class Evaluation(models.Model):
    """The institution's evaluation of a contractor after a job (score 0–100, 60 passes)."""

    scope_field = "contractor__organization"
    PASS_SCORE = 60

    contractor = models.ForeignKey(
        Contractor, verbose_name=_("相关方单位"), on_delete=models.PROTECT, related_name="evaluations"
    )
    permit = models.ForeignKey(
        "WorkPermit", verbose_name=_("作业票"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    job = models.CharField(_("作业/服务内容"), max_length=200)
    score = models.PositiveSmallIntegerField(_("评分"))
    comment = models.TextField(_("评价意见"), blank=True)
    evaluated_by = models.ForeignKey(USER, verbose_name=_("评价人"), on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField(_("评价时间"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("相关方评价")
        verbose_name_plural = _("相关方评价")
        ordering = ["contractor_id", "-evaluated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__lte=100),
                name="evaluation_score_range",
                violation_error_message=_("评分为 0–100 分。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.contractor} {self.score}"

    @property
    def passed(self) -> bool:
        return self.score >= self.PASS_SCORE


# --- the kinds of dangerous work (shared reference data) ----------------------------------------
class PermitKind(models.Model):
    """A kind of dangerous work (GB 30871-2022) and what its permit needs."""

    code = models.SlugField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("作业类别"), max_length=40)
    required_checks = models.TextField(_("安全措施确认项"), help_text=_("每行一项，开始作业前由监护人逐项确认"))
    gas_test_required = models.BooleanField(_("须气体分析"), default=False)
    gas_test_valid_minutes = models.PositiveSmallIntegerField(
        _("气体分析有效时间（分钟）"), default=30, help_text=_("分析合格后超过此时间未开始作业，须重新分析")
    )
    needs_principal = models.BooleanField(_("须单位主要负责人审批"), default=False)
    max_hours = models.PositiveSmallIntegerField(_("作业票最长有效期（小时）"), default=8)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("危险作业类别")
        verbose_name_plural = _("危险作业类别")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gas_test_valid_minutes__gte=1),
                name="kind_gas_minutes_positive",
                violation_error_message=_("气体分析有效时间至少 1 分钟。"),
            ),
            models.CheckConstraint(
                condition=Q(max_hours__gte=1),
                name="kind_hours_positive",
                violation_error_message=_("作业票有效期至少 1 小时。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def checks(self) -> list[str]:
        return [line.strip() for line in self.required_checks.splitlines() if line.strip()]

    @property
    def steps(self) -> list[str]:
        """The approval steps after the applicant, in order."""
        return [s.value for s in STEP_ORDER if s != ApprovalStep.PRINCIPAL or self.needs_principal]


# --- permits -------------------------------------------------------------------------------------
class WorkPermit(models.Model):
    """危险作业票: one job of one kind, at one place, in a planned window."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="work_permits"
    )
    number = models.CharField(_("作业票编号"), max_length=30, unique=True)
    kind = models.ForeignKey(PermitKind, verbose_name=_("作业类别"), on_delete=models.PROTECT, related_name="+")
    risk_point = models.ForeignKey(
        "risks.RiskPoint", verbose_name=_("风险点"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("作业地点"), max_length=200)
    contractor = models.ForeignKey(
        Contractor,
        verbose_name=_("作业单位（相关方）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="permits",
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("所在科室"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    workers = models.ManyToManyField(Worker, verbose_name=_("相关方作业人员"), blank=True, related_name="permits")
    worker_names = models.CharField(_("本单位作业人员"), max_length=200, blank=True)
    planned_start = models.DateTimeField(_("计划开始时间"))
    planned_end = models.DateTimeField(_("计划结束时间"))
    content = models.CharField(_("作业内容"), max_length=200, blank=True)
    hazards_identified = models.TextField(_("危害辨识"), blank=True)
    measures = models.TextField(_("安全措施"))
    guardian = models.ForeignKey(
        USER, verbose_name=_("监护人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=12, choices=PermitStatus.choices, default=PermitStatus.DRAFT)
    pending_step = models.CharField(_("待审批环节"), max_length=16, choices=ApprovalStep.choices, blank=True)
    applicant = models.ForeignKey(USER, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("填写时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始作业时间"), null=True, blank=True)
    started_by = models.ForeignKey(
        USER,
        verbose_name=_("确认安全措施并开始作业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    suspended_at = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    suspend_reason = models.CharField(_("暂停原因"), max_length=500, blank=True)
    checks_confirmed = models.JSONField(_("已确认的安全措施"), default=list, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, verbose_name=_("验收人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_note = models.TextField(_("完工验收意见"), blank=True)
    cancel_reason = models.CharField(_("取消/驳回原因"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("危险作业票")
        verbose_name_plural = _("危险作业票")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "status"], name="permit_org_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(contractor__isnull=False) | Q(department__isnull=False),
                name="permit_has_a_party",
                violation_error_message=_("请选择作业单位（相关方）或本单位作业科室。"),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("planned_start")),
                name="permit_window_in_order",
                violation_error_message=_("计划结束时间须晚于计划开始时间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.kind.name}"

    def get_absolute_url(self) -> str:
        return reverse("contractors:permit-detail", args=[self.pk])

    @property
    def party(self) -> str:
        return self.contractor.name if self.contractor_id else (self.department.name if self.department_id else "")

    @property
    def check_rows(self) -> list[tuple[str, bool]]:
        """The safety checks with whether each was confirmed: once started, those confirmed at the
        start as they were worded then (the kind's list may have been edited since); before, the
        kind's current list, none confirmed yet."""
        if self.started_at is not None:
            return [(text, True) for text in self.checks_confirmed]
        return [(text, False) for text in self.kind.checks]

    def is_overrun(self, now=None) -> bool:
        """Still under way after its planned end."""
        now = now or timezone.now()
        return self.status in (PermitStatus.ACTIVE, PermitStatus.SUSPENDED) and self.planned_end < now


class PermitApproval(models.Model):
    """One step's decision on a permit; a step is decided once (a rejection ends the permit)."""

    scope_field = "permit__organization"

    permit = models.ForeignKey(WorkPermit, verbose_name=_("作业票"), on_delete=models.PROTECT, related_name="approvals")
    step = models.CharField(_("审批环节"), max_length=16, choices=ApprovalStep.choices)
    approved = models.BooleanField(_("同意"))
    comment = models.CharField(_("审批意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(USER, verbose_name=_("审批人"), on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("作业票审批")
        verbose_name_plural = _("作业票审批")
        ordering = ["permit_id", "decided_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["permit", "step"], name="approval_once_per_step")]

    def __str__(self) -> str:
        return f"{self.permit.number} {self.get_step_display()}"


class GasTest(models.Model):
    """气体分析: the readings taken before (and during) the work, and whether they passed."""

    scope_field = "permit__organization"
    O2_MIN, O2_MAX = 19.5, 23.5  # % by volume (GB 30871-2022: 19.5 %–21 %, enriched air at most 23.5 %)
    LEL_MAX = 10  # % of the lower explosive limit (a common ceiling; the tester judges the stricter ones)

    permit = models.ForeignKey(WorkPermit, verbose_name=_("作业票"), on_delete=models.PROTECT, related_name="gas_tests")
    tested_at = models.DateTimeField(_("分析时间"))
    oxygen_percent = models.DecimalField(_("氧含量（%）"), max_digits=5, decimal_places=2)
    combustible_lel_percent = models.DecimalField(_("可燃气体（%LEL）"), max_digits=6, decimal_places=2)
    toxic = models.CharField(
        _("有毒有害气体及读数"), max_length=200, blank=True, help_text=_("如：H₂S 0 ppm，CO 2 ppm")
    )
    passed = models.BooleanField(_("合格"))
    tester_name = models.CharField(_("分析人"), max_length=40)
    recorded_by = models.ForeignKey(USER, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("气体分析")
        verbose_name_plural = _("气体分析")
        ordering = ["permit_id", "-tested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.permit.number} {timezone.localtime(self.tested_at):%H:%M}"


class PermitPhoto(models.Model):
    """A photo of the site at close-out (完工验收)."""

    scope_field = "permit__organization"

    permit = models.ForeignKey(WorkPermit, verbose_name=_("作业票"), on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="contractors/permits/%Y/%m/")
    thumbnail = models.ImageField(_("缩略图"), upload_to="contractors/permits/%Y/%m/thumbs/")
    uploaded_by = models.ForeignKey(USER, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("作业现场照片")
        verbose_name_plural = _("作业现场照片")
        ordering = ["permit_id", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.permit.number} #{self.pk}"


class PermitHazard(models.Model):
    """A hazard found during a permit's work (source 作业许可检查), entered from the permit's page."""

    scope_field = "permit__organization"

    permit = models.ForeignKey(
        WorkPermit, verbose_name=_("作业票"), on_delete=models.PROTECT, related_name="hazard_links"
    )
    hazard = models.OneToOneField(
        "hazards.Hazard", verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="work_permit_link"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("作业中发现的隐患")
        verbose_name_plural = _("作业中发现的隐患")
        ordering = ["permit_id", "pk"]

    def __str__(self) -> str:
        return f"{self.permit.number} {self.hazard}"
