"""The registers with statutory intervals (台账): special equipment and fire facilities with their
inspections, hazardous chemicals (storage places, inventory, the in/out ledger with two-person
sign-off) and medical/hazardous waste handovers.

Reference data (equipment kinds with their interval and the rule cited, the chemicals with their
CAS number and hazard class) belongs to no organization; everything else belongs to one
institution (``scope_field``). Nothing entered is deleted: equipment and places are deactivated,
movements and handovers voided with a reason.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import ScopedManager
from anjian.registers.choices import (
    DUE_SOON_DAYS,
    DueState,
    EquipmentGroup,
    FireDuty,
    HazardClass,
    MovementDirection,
    MovementStatus,
    RecordKind,
    RecordResult,
    Unit,
    WasteCategory,
)

USER = settings.AUTH_USER_MODEL
QUANTITY = {"max_digits": 12, "decimal_places": 2}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved on by whole months, kept within the month (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def due_state(next_due_on: dt.date | None, today: dt.date | None = None) -> DueState:
    if next_due_on is None:
        return DueState.UNKNOWN
    today = today or timezone.localdate()
    if next_due_on < today:
        return DueState.OVERDUE
    if next_due_on <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return DueState.DUE_SOON
    return DueState.OK


# --- special equipment and fire facilities -------------------------------------------------------
class EquipmentKind(models.Model):
    """A kind of equipment and its statutory periodic check: interval and the rule that sets it."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("种类名称"), max_length=60, unique=True)
    group = models.CharField(_("类别"), max_length=12, choices=EquipmentGroup.choices)
    interval_months = models.PositiveSmallIntegerField(_("法定检验周期（月）"))
    inspection_name = models.CharField(_("定期检验名称"), max_length=40, default="定期检验")
    regulation = models.CharField(_("依据"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("设备种类")
        verbose_name_plural = _("设备种类")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_months__gte=1, interval_months__lte=120),
                name="equipmentkind_interval_range",
                violation_error_message=_("检验周期须在1至120个月之间。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Equipment(models.Model):
    """One registered piece of special equipment or fire facility of an institution."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.ForeignKey(EquipmentKind, verbose_name=_("种类"), on_delete=models.PROTECT, related_name="items")
    name = models.CharField(_("设备名称"), max_length=100)
    registration_number = models.CharField(_("使用登记证编号"), max_length=60, blank=True)
    risk_point = models.ForeignKey(
        "risks.RiskPoint",
        verbose_name=_("所在风险点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.CharField(_("安装位置"), max_length=200, blank=True)
    maintenance_contractor = models.CharField(_("维保单位"), max_length=100, blank=True)
    interval_months = models.PositiveSmallIntegerField(
        _("本设备检验周期（月）"), null=True, blank=True, help_text=_("留空则按种类的法定周期")
    )
    last_inspected_on = models.DateField(_("上次检验日期"), null=True, blank=True)
    next_due_on = models.DateField(_("下次检验日期"), null=True, blank=True, db_index=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("设备设施")
        verbose_name_plural = _("设备设施")
        ordering = ["next_due_on", "pk"]
        indexes = [models.Index(fields=["organization", "next_due_on"], name="equipment_org_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_months__isnull=True) | Q(interval_months__gte=1, interval_months__lte=120),
                name="equipment_interval_range",
                violation_error_message=_("检验周期须在1至120个月之间。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registers:equipment-detail", args=[self.pk])

    @property
    def interval(self) -> int:
        return self.interval_months or self.kind.interval_months

    def compute_next_due(self) -> dt.date | None:
        return add_months(self.last_inspected_on, self.interval) if self.last_inspected_on else None

    @property
    def due_state(self) -> DueState:
        return due_state(self.next_due_on)

    @property
    def location(self) -> str:
        point = self.risk_point.name if self.risk_point_id else ""
        return " · ".join(x for x in (point, self.area) if x)

    def clean(self) -> None:
        if self.risk_point_id and self.risk_point.organization_id != self.organization_id:
            raise ValidationError({"risk_point": _("风险点须属于本机构。")})
        if self.last_inspected_on and self.last_inspected_on > timezone.localdate():
            raise ValidationError({"last_inspected_on": _("上次检验日期不能晚于今天。")})


class EquipmentRecord(models.Model):
    """An inspection, detection or maintenance of one equipment, with its report. A statutory
    inspection that passed moves the equipment's next due date."""

    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    equipment = models.ForeignKey(Equipment, verbose_name=_("设备"), on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(_("记录类型"), max_length=12, choices=RecordKind.choices, default=RecordKind.INSPECTION)
    performed_on = models.DateField(_("检验/维保日期"))
    result = models.CharField(_("结论"), max_length=12, choices=RecordResult.choices)
    agency = models.CharField(_("检验机构/维保单位"), max_length=100, blank=True)
    report_number = models.CharField(_("报告编号"), max_length=60, blank=True)
    report = models.FileField(_("检验报告"), upload_to="registers/equipment/%Y/%m/", blank=True)
    report_name = models.CharField(max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检验维保记录")
        verbose_name_plural = _("检验维保记录")
        ordering = ["-performed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.equipment} {self.performed_on:%Y-%m-%d} {self.get_kind_display()}"


class EquipmentHazard(models.Model):
    """A hazard entered because the equipment's statutory inspection was overdue (source
    ``equipment_check``); ``hazard_origins`` shows the equipment on the hazard's page."""

    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    equipment = models.ForeignKey(Equipment, on_delete=models.PROTECT, related_name="hazard_links")
    hazard = models.OneToOneField("hazards.Hazard", on_delete=models.PROTECT, related_name="equipment_link")
    due_on = models.DateField(_("应检日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("设备逾期隐患")
        verbose_name_plural = _("设备逾期隐患")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.equipment} → {self.hazard_id}"


# --- hazardous chemicals ---------------------------------------------------------------------------
class Chemical(models.Model):
    """A hazardous chemical of the reference list (名称, CAS 号, 危险类别)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    cas_number = models.CharField(_("CAS号"), max_length=20, blank=True)
    hazard_class = models.CharField(_("危险类别"), max_length=2, choices=HazardClass.choices)
    is_typical = models.BooleanField(_("卫生系统8种典型危化品"), default=False)
    note = models.CharField(_("用途说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("危险化学品")
        verbose_name_plural = _("危险化学品目录")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class StoragePlace(models.Model):
    """Where an institution keeps hazardous chemicals (专用库房、柜), optionally a risk point of the
    four-colour map, with its keepers (五双: two keepers, two locks). Its spot on a floor plan of the
    four-colour map (``floor_plan`` with ``plan_x``, ``plan_y``: 0–1 of the plan's width and height,
    as the map's areas) makes the 一张图 of the institution's chemicals."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("储存地点"), max_length=100)
    risk_point = models.ForeignKey(
        "risks.RiskPoint",
        verbose_name=_("所在风险点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    keepers = models.CharField(_("保管人（双人保管）"), max_length=100, blank=True)
    floor_plan = models.ForeignKey(
        "risks.FloorPlan",
        verbose_name=_("所在楼层平面图"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan_x = models.DecimalField(_("图上位置（横向）"), max_digits=5, decimal_places=4, null=True, blank=True)
    plan_y = models.DecimalField(_("图上位置（纵向）"), max_digits=5, decimal_places=4, null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("危化品储存地点")
        verbose_name_plural = _("危化品储存地点")
        ordering = ["organization_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="storageplace_unique_name",
                violation_error_message=_("本机构已有同名储存地点。"),
            ),
            models.CheckConstraint(
                condition=Q(floor_plan__isnull=True, plan_x__isnull=True, plan_y__isnull=True)
                | Q(
                    floor_plan__isnull=False,
                    plan_x__gte=0,
                    plan_x__lte=1,
                    plan_y__gte=0,
                    plan_y__lte=1,
                ),
                name="storageplace_spot_on_its_plan",
                violation_error_message=_("请在平面图上点选储存地点的位置。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registers:place-detail", args=[self.pk])

    @property
    def located(self) -> bool:
        return self.floor_plan_id is not None

    def spot(self) -> tuple[float, float]:
        """The place's spot in its plan's pixels (the SVG overlay's viewBox is the plan's size)."""
        plan = self.floor_plan
        return (float(self.plan_x) * (plan.width or 1000), float(self.plan_y) * (plan.height or 1000))

    def clean(self) -> None:
        if self.risk_point_id and self.risk_point.organization_id != self.organization_id:
            raise ValidationError({"risk_point": _("风险点须属于本机构。")})
        if self.floor_plan_id and self.floor_plan.organization_id != self.organization_id:
            raise ValidationError({"floor_plan": _("平面图须属于本机构。")})


class ChemicalStock(models.Model):
    """How much of one chemical a storage place holds, and the most it may hold. The quantity
    changes only through confirmed movements (双人收发)."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(StoragePlace, verbose_name=_("储存地点"), on_delete=models.PROTECT, related_name="stocks")
    chemical = models.ForeignKey(Chemical, verbose_name=_("危险化学品"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("库存量"), default=0, **QUANTITY)
    unit = models.CharField(_("单位"), max_length=10, choices=Unit.choices)
    max_quantity = models.DecimalField(_("最大允许储存量"), **QUANTITY)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("危化品库存")
        verbose_name_plural = _("危化品库存")
        ordering = ["place_id", "chemical__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "chemical"],
                name="stock_unique_place_chemical",
                violation_error_message=_("该储存地点已登记这种危化品。"),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="stock_quantity_not_negative",
                violation_error_message=_("库存量不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(max_quantity__gt=0),
                name="stock_max_positive",
                violation_error_message=_("最大允许储存量须大于0。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} · {self.chemical}"

    def get_absolute_url(self) -> str:
        return reverse("registers:stock-detail", args=[self.pk])

    @property
    def over_limit(self) -> bool:
        return self.quantity > self.max_quantity


class ChemicalMovement(models.Model):
    """One entry of the in/out ledger. Entered by one person, it changes the stock only when a
    second, different person confirms it (双人收发)."""

    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    stock = models.ForeignKey(ChemicalStock, verbose_name=_("库存"), on_delete=models.PROTECT, related_name="movements")
    direction = models.CharField(_("收发"), max_length=4, choices=MovementDirection.choices)
    quantity = models.DecimalField(_("数量"), **QUANTITY)
    moved_on = models.DateField(_("日期"))
    purpose = models.CharField(_("用途/来源"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=MovementStatus.choices, default=MovementStatus.PENDING, db_index=True
    )
    recorded_by = models.ForeignKey(USER, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        USER, verbose_name=_("复核人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    balance_after = models.DecimalField(_("复核后库存"), null=True, blank=True, **QUANTITY)
    cancel_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("危化品出入库记录")
        verbose_name_plural = _("危化品出入库记录")
        ordering = ["-moved_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="movement_quantity_positive",
                violation_error_message=_("数量须大于0。"),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=models.F("recorded_by")),
                name="movement_two_people",
                violation_error_message=_("双人收发：须由登记人以外的另一人复核。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stock} {self.get_direction_display()} {self.quantity.normalize():f}"


# --- waste -----------------------------------------------------------------------------------------
class WasteHandover(models.Model):
    """Medical or hazardous waste handed to a licensed receiver (转移联单)."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="+"
    )
    handed_on = models.DateField(_("交接日期"), db_index=True)
    category = models.CharField(_("废物类别"), max_length=16, choices=WasteCategory.choices)
    weight_kg = models.DecimalField(_("重量（千克）"), **QUANTITY)
    receiver = models.CharField(_("接收单位"), max_length=100)
    form_number = models.CharField(_("转移联单编号"), max_length=60, blank=True)
    handed_by_name = models.CharField(_("交接人"), max_length=60, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    is_void = models.BooleanField(_("已作废"), default=False)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("废物交接记录")
        verbose_name_plural = _("废物交接记录")
        ordering = ["-handed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_kg__gt=0),
                name="waste_weight_positive",
                violation_error_message=_("重量须大于0。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.handed_on:%Y-%m-%d} {self.get_category_display()} {self.weight_kg.normalize():f}kg"


# --- fire-safety files -----------------------------------------------------------------------------
class FireSafetyPerson(models.Model):
    """The unit's 消防安全责任人 or 消防安全管理人, as publicly posted (公示). A new appointment
    replaces the current one, which is kept (``is_current`` False) with the day it ended."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="+"
    )
    duty = models.CharField(_("职责"), max_length=12, choices=FireDuty.choices)
    name = models.CharField(_("姓名"), max_length=60)
    position = models.CharField(_("职务"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    appointed_on = models.DateField(_("任命日期"))
    is_current = models.BooleanField(_("现任"), default=True)
    ended_on = models.DateField(_("卸任日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("消防安全责任人/管理人")
        verbose_name_plural = _("消防安全责任人/管理人")
        ordering = ["organization_id", "duty", "-appointed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "duty"], condition=Q(is_current=True), name="fireperson_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_duty_display()} {self.name}"
