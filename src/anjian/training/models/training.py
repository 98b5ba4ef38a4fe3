"""安全教育培训: training categories (岗前, 消防, 特种作业 … the platform's reference data), annual
training plans per institution, sessions with their attendance (by list or by scanning the
session's QR code), and the trainings each post requires."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import ScopedManager
from anjian.training.choices import AttendanceMethod

USER = settings.AUTH_USER_MODEL


def new_code() -> str:
    return secrets.token_urlsafe(12)


class TrainingCategory(models.Model):
    """What a training is (岗前培训, 消防安全培训 …). ``yearly``: it must be repeated every year (a
    person's requirement is met only by a session this year); otherwise once is enough."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("培训类别"), max_length=60, unique=True)
    yearly = models.BooleanField(_("每年须参加"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("培训类别")
        verbose_name_plural = _("培训类别")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class TrainingPlan(models.Model):
    """年度培训计划: one per institution and year, its items by month."""

    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("计划名称"), max_length=100)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("年度培训计划")
        verbose_name_plural = _("年度培训计划")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="training_plan_one_per_year",
                violation_error_message=_("本单位该年度已有培训计划。"),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:plan-detail", args=[self.pk])


class TrainingPlanItem(models.Model):
    scope_field = "plan__organization"

    plan = models.ForeignKey(TrainingPlan, on_delete=models.PROTECT, related_name="items")
    topic = models.CharField(_("培训内容"), max_length=200)
    category = models.ForeignKey(TrainingCategory, verbose_name=_("培训类别"), on_delete=models.PROTECT)
    month = models.PositiveSmallIntegerField(_("计划月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5)])
    audience = models.CharField(_("培训对象"), max_length=200, blank=True)
    posts = models.ManyToManyField("orgs.Post", verbose_name=_("对象岗位"), blank=True, related_name="+")
    departments = models.ManyToManyField("orgs.Department", verbose_name=_("对象科室"), blank=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("培训计划条目")
        verbose_name_plural = _("培训计划条目")
        ordering = ["month", "pk"]

    def __str__(self) -> str:
        return f"{self.month}月 {self.topic}"


class TrainingSession(models.Model):
    """One training held (or planned): date, hours, teacher, content, materials, attendance and an
    optional quiz (a paper) that attendees take after signing in."""

    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT)
    title = models.CharField(_("培训名称"), max_length=200)
    category = models.ForeignKey(
        TrainingCategory, verbose_name=_("培训类别"), null=True, blank=True, on_delete=models.PROTECT
    )
    plan_item = models.ForeignKey(
        TrainingPlanItem,
        verbose_name=_("对应计划条目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    held_on = models.DateField(_("培训日期"), db_index=True)
    hours = models.DecimalField(
        _("学时"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5), MaxValueValidator(100)]
    )
    teacher = models.CharField(_("授课人"), max_length=60, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    content = models.TextField(_("培训内容"), blank=True)
    materials = models.FileField(_("培训材料"), upload_to="training/%Y/%m/", blank=True)
    materials_name = models.CharField(max_length=200, blank=True)
    quiz = models.ForeignKey(
        "training.Paper", verbose_name=_("随堂测验"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(max_length=40, unique=True, default=new_code, editable=False)
    # a session entered by mistake is voided (kept, marked, out of every figure), never deleted
    is_active = models.BooleanField(_("有效"), default=True)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("training:session-detail", args=[self.pk])


class Attendance(models.Model):
    scope_field = "session__organization"

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="attendances")
    user = models.ForeignKey(USER, verbose_name=_("参训人员"), on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("签到方式"), max_length=8, choices=AttendanceMethod.choices)
    signed_at = models.DateTimeField(_("签到时间"))
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("培训签到")
        verbose_name_plural = _("培训签到")
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.session} · {self.user}"


class PostTrainingRequirement(models.Model):
    """A post whose holders must have taken a training of ``category`` (岗前, 消防, 特种作业 …)."""

    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey("orgs.Post", verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(TrainingCategory, verbose_name=_("须参加培训"), on_delete=models.PROTECT)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("岗位培训要求")
        verbose_name_plural = _("岗位培训要求")
        constraints = [models.UniqueConstraint(fields=["post", "category"], name="post_training_unique")]

    def __str__(self) -> str:
        return f"{self.post} · {self.category}"
