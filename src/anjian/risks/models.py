"""The risk register (风险分级管控, DOMAIN.md §4): assessment methods as versioned data, risk points,
the risks identified there with their rating and control measures, the post cards (两单两卡) and
the four-colour map (floor plans with areas).

A rating keeps the version of the method it used: a new version of a method's table never changes
an old score. Control measures carry a ``key`` that becomes the key of the checklist item that
checks them (inspections), so a failed item leads back to the measure and its risk.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import ScopedManager
from anjian.risks.choices import (
    COLOUR_OF,
    CSS_OF,
    AccidentType,
    ControlTier,
    MeasureType,
    MethodCode,
    PointKind,
    RiskLevel,
)

USER = settings.AUTH_USER_MODEL


# --- the methods, as data ------------------------------------------------------------------------
class AssessmentMethod(models.Model):
    """One version of a method's tables (LEC or LS): the factor values and the bands. A version in
    use never changes; an administrator's change is a new version, which becomes the current one."""

    code = models.CharField(_("评价方法"), max_length=8, choices=MethodCode.choices)
    version = models.PositiveIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=100)
    formula = models.CharField(_("计算公式"), max_length=60)
    note = models.TextField(_("说明"), blank=True)
    is_current = models.BooleanField(_("现行版本"), default=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("风险评价方法")
        verbose_name_plural = _("风险评价方法")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="method_unique_version"),
            models.UniqueConstraint(fields=["code"], condition=Q(is_current=True), name="method_one_current"),
        ]

    def __str__(self) -> str:
        return str(_("%(name)s（第%(v)s版）") % {"name": self.code, "v": self.version})


class MethodFactor(models.Model):
    """One value a factor may take (e.g. LEC's L = 6, "相当可能"), with its meaning."""

    method = models.ForeignKey(AssessmentMethod, on_delete=models.PROTECT, related_name="factors")
    factor = models.CharField(_("因素"), max_length=2)
    value = models.DecimalField(_("分值"), max_digits=8, decimal_places=2)
    meaning = models.CharField(_("含义"), max_length=100)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评价因素取值")
        verbose_name_plural = _("评价因素取值")
        ordering = ["method_id", "factor", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["method", "factor", "value"], name="factor_unique_value")]

    def __str__(self) -> str:
        return f"{self.factor.upper()}={self.value.normalize():f} {self.meaning}"


class MethodBand(models.Model):
    """One band of scores and its level: scores above ``min_score`` (or equal, when ``inclusive``)
    up to the next band's lower edge."""

    method = models.ForeignKey(AssessmentMethod, on_delete=models.PROTECT, related_name="bands")
    level = models.CharField(_("风险等级"), max_length=12, choices=RiskLevel.choices)
    min_score = models.DecimalField(_("下限"), max_digits=10, decimal_places=2)
    inclusive = models.BooleanField(_("含下限"), default=True)
    label = models.CharField(_("分值范围"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("风险分级标准")
        verbose_name_plural = _("风险分级标准")
        ordering = ["method_id", "-min_score"]
        constraints = [models.UniqueConstraint(fields=["method", "level"], name="band_unique_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.label}"

    def contains(self, score) -> bool:
        return score >= self.min_score if self.inclusive else score > self.min_score


# --- the register --------------------------------------------------------------------------------
class RiskPoint(models.Model):
    """风险点: a place, a piece of equipment or an activity where risks are identified."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="risk_points"
    )
    name = models.CharField(_("风险点名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=PointKind.choices, default=PointKind.PLACE)
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("责任科室"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    building = models.CharField(_("建筑"), max_length=60, blank=True)
    floor = models.CharField(_("楼层"), max_length=20, blank=True)
    area = models.CharField(_("区域/部位"), max_length=100, blank=True)
    description = models.TextField(_("说明"), blank=True)
    checklist_family = models.UUIDField(_("管控措施检查表"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        ordering = ["organization_id", "building", "floor", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="riskpoint_unique_name",
                violation_error_message=_("本机构已有同名风险点。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("risks:point-detail", args=[self.pk])

    @property
    def place(self) -> str:
        return " ".join(x for x in (self.building, self.floor, self.area) if x)

    def clean(self) -> None:
        if self.department_id and self.department.organization_id != self.organization_id:
            raise ValidationError({"department": _("科室须属于该机构。")})


class Risk(models.Model):
    """A hazard source (危险源) identified at a risk point, its current rating and its review date."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="risks"
    )
    risk_point = models.ForeignKey(RiskPoint, verbose_name=_("风险点"), on_delete=models.PROTECT, related_name="risks")
    name = models.CharField(_("危险源/风险名称"), max_length=200)
    accident_type = models.CharField(_("可能导致的事故类型"), max_length=20, choices=AccidentType.choices)
    description = models.TextField(_("风险描述"), blank=True)
    method = models.ForeignKey(
        AssessmentMethod, verbose_name=_("评价方法（版本）"), on_delete=models.PROTECT, related_name="+"
    )
    factors = models.JSONField(_("评价取值"), default=dict)
    score = models.DecimalField(_("风险值"), max_digits=10, decimal_places=2)
    level = models.CharField(_("风险等级"), max_length=12, choices=RiskLevel.choices, db_index=True)
    rank = models.PositiveSmallIntegerField(_("等级序号"), default=1, editable=False)
    review_on = models.DateField(_("复评日期"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        USER, verbose_name=_("评价人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("评价时间"))
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("风险")
        verbose_name_plural = _("风险")
        ordering = ["-rank", "risk_point_id", "pk"]
        indexes = [models.Index(fields=["organization", "level"], name="risk_org_level")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("risks:risk-detail", args=[self.pk])

    @property
    def colour(self) -> str:
        return COLOUR_OF[RiskLevel(self.level)]

    @property
    def css(self) -> str:
        return CSS_OF[self.colour]

    @property
    def factors_text(self) -> str:
        return " × ".join(f"{k.upper()}={v}" for k, v in self.factors.items())


class RiskAssessment(models.Model):
    """One rating of a risk, kept for ever with the method version it used."""

    scope_field = "risk__organization"

    risk = models.ForeignKey(Risk, verbose_name=_("风险"), on_delete=models.PROTECT, related_name="assessments")
    method = models.ForeignKey(AssessmentMethod, verbose_name=_("评价方法（版本）"), on_delete=models.PROTECT)
    factors = models.JSONField(_("评价取值"), default=dict)
    score = models.DecimalField(_("风险值"), max_digits=10, decimal_places=2)
    level = models.CharField(_("风险等级"), max_length=12, choices=RiskLevel.choices)
    note = models.TextField(_("评价说明"), blank=True)
    assessed_by = models.ForeignKey(
        USER, verbose_name=_("评价人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("评价时间"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("风险评价记录")
        verbose_name_plural = _("风险评价记录")
        ordering = ["-assessed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.risk_id} {self.score} {self.level}"

    @property
    def colour(self) -> str:
        return COLOUR_OF[RiskLevel(self.level)]

    @property
    def css(self) -> str:
        return CSS_OF[self.colour]

    @property
    def factors_text(self) -> str:
        return " × ".join(f"{k.upper()}={v}" for k, v in self.factors.items())


class ControlMeasure(models.Model):
    """A control measure of a risk; ``key`` is the key of the checklist item that checks it."""

    scope_field = "risk__organization"

    risk = models.ForeignKey(Risk, verbose_name=_("风险"), on_delete=models.PROTECT, related_name="measures")
    type = models.CharField(_("措施类型"), max_length=12, choices=MeasureType.choices)
    tier = models.CharField(_("管控层级"), max_length=12, choices=ControlTier.choices)
    text = models.CharField(_("管控措施"), max_length=300)
    responsible_post = models.ForeignKey(
        "orgs.Post", verbose_name=_("责任岗位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_person = models.ForeignKey(
        USER, verbose_name=_("责任人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    key = models.UUIDField(_("检查项标识"), default=uuid.uuid4, unique=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("管控措施")
        verbose_name_plural = _("管控措施")
        ordering = ["risk_id", "pk"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        org = self.risk.organization_id if self.risk_id else None
        errors = {}
        if self.responsible_post_id and self.responsible_post.organization_id != org:
            errors["responsible_post"] = _("责任岗位须属于本机构。")
        if self.responsible_person_id and self.responsible_person.organization_id != org:
            errors["responsible_person"] = _("责任人须为本机构人员。")
        if errors:
            raise ValidationError(errors)


# --- 两单两卡 --------------------------------------------------------------------------------------
def _card_code() -> str:
    return secrets.token_urlsafe(8)


class PostCard(models.Model):
    """The post's lists and cards (两单两卡): its risk list comes from the measures controlled at the
    post; the duty list, the operating steps and the emergency procedures are kept here. Each edit
    raises ``version``: staff acknowledge a version."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="post_cards"
    )
    post = models.OneToOneField("orgs.Post", verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="card")
    code = models.CharField(_("二维码编码"), max_length=20, unique=True, default=_card_code, editable=False)
    duties = models.TextField(_("岗位职责清单"), help_text=_("每行一条"))
    operation_steps = models.TextField(_("岗位操作卡（安全操作步骤）"), help_text=_("每行一步"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("两单两卡")
        verbose_name_plural = _("两单两卡")
        ordering = ["organization_id", "post__department__name", "post__name", "pk"]

    def __str__(self) -> str:
        return f"{self.post}"

    def get_absolute_url(self) -> str:
        return reverse("risks:card-detail", args=[self.pk])

    @property
    def duty_lines(self) -> list[str]:
        return [line.strip() for line in self.duties.splitlines() if line.strip()]

    @property
    def step_lines(self) -> list[str]:
        return [line.strip() for line in self.operation_steps.splitlines() if line.strip()]


class EmergencyProcedure(models.Model):
    """岗位应急处置卡: for one typical incident, alarm → isolate → rescue → report, with phone numbers."""

    scope_field = "card__organization"

    card = models.ForeignKey(PostCard, on_delete=models.PROTECT, related_name="emergencies")
    version = models.PositiveIntegerField(_("版本"), default=1)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    incident = models.CharField(_("典型事故/事件"), max_length=100)
    alarm = models.TextField(_("报警"))
    isolate = models.TextField(_("隔离/控制"))
    rescue = models.TextField(_("救援/疏散"))
    report = models.TextField(_("报告"))
    phones = models.CharField(_("应急电话"), max_length=200)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("应急处置卡")
        verbose_name_plural = _("应急处置卡")
        ordering = ["card_id", "version", "order", "pk"]

    def __str__(self) -> str:
        return self.incident


class CardAcknowledgement(models.Model):
    """A member of staff has read a version of the post's cards."""

    scope_field = "card__organization"

    card = models.ForeignKey(PostCard, on_delete=models.PROTECT, related_name="acknowledgements")
    user = models.ForeignKey(USER, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"))
    acknowledged_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("两单两卡学习确认")
        verbose_name_plural = _("两单两卡学习确认")
        ordering = ["-acknowledged_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["card", "user", "version"], name="card_ack_once")]

    def __str__(self) -> str:
        return f"{self.card_id} v{self.version} {self.user_id}"


# --- the four-colour map -------------------------------------------------------------------------
class FloorPlan(models.Model):
    """The plan of one floor of a building; areas drawn on it are coloured by their risks."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="floor_plans"
    )
    building = models.CharField(_("建筑"), max_length=60)
    floor = models.CharField(_("楼层"), max_length=20)
    image = models.ImageField(_("平面图"), upload_to="risks/plans/%Y/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("楼层平面图")
        verbose_name_plural = _("楼层平面图")
        ordering = ["organization_id", "building", "floor", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "building", "floor"],
                name="floorplan_unique_floor",
                violation_error_message=_("该楼层已有平面图，请在原平面图上更换图片。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.floor}"

    def get_absolute_url(self) -> str:
        return reverse("risks:plan-detail", args=[self.pk])

    @property
    def label_size(self) -> int:
        """The font size of the labels drawn on the plan (areas, places), in the plan's pixels."""
        return max(12, round((self.width or 1000) / 45))


class MapArea(models.Model):
    """An area drawn on a floor plan (polygon, coordinates 0–1 of the plan's width and height)."""

    scope_field = "plan__organization"

    plan = models.ForeignKey(FloorPlan, verbose_name=_("平面图"), on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(_("区域名称"), max_length=100)
    points = models.JSONField(_("区域轮廓"), default=list)
    risk_points = models.ManyToManyField(RiskPoint, verbose_name=_("风险点"), blank=True, related_name="map_areas")
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("四色图区域")
        verbose_name_plural = _("四色图区域")
        ordering = ["plan_id", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def label_xy(self) -> tuple[float, float]:
        """Where the area's name is written: the mean of its corners, in the plan's pixels."""
        w, h = self.plan.width or 1000, self.plan.height or 1000
        n = len(self.points) or 1
        return (sum(x for x, _y in self.points) / n * w, sum(y for _x, y in self.points) / n * h)

    @property
    def svg_points(self) -> str:
        """The polygon in the plan's pixels (the SVG overlay's viewBox is the plan's size)."""
        w, h = self.plan.width or 1000, self.plan.height or 1000
        return " ".join(f"{x * w:.1f},{y * h:.1f}" for x, y in self.points)
