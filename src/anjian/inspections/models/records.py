"""The records filled at a place: one per inspection done, its results (one per item) and their photos."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import ScopedManager
from anjian.inspections.choices import Result
from anjian.inspections.models.checklists import ChecklistItem, ChecklistTemplate
from anjian.inspections.models.points import InspectionPoint
from anjian.inspections.models.schedules import Schedule
from anjian.inspections.models.supervision import SupervisionInspection

USER = settings.AUTH_USER_MODEL


class InspectionRecord(models.Model):
    """One inspection done: the version of the checklist used, where, by whom, when. Never changed
    once submitted; a correction is a new record that ``corrects`` the original."""

    scope_field = "organization"

    number = models.CharField(_("记录编号"), max_length=20, unique=True, editable=False)
    # no index of their own: record_org_performed and record_schedule_period lead with them (each
    # index less is one less to update on every submission)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        related_name="inspection_records",
        db_index=False,
    )
    schedule = models.ForeignKey(
        Schedule,
        verbose_name=_("排查计划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        db_index=False,
    )
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("检查表（版本）"), on_delete=models.PROTECT, related_name="records"
    )
    point = models.ForeignKey(
        InspectionPoint,
        verbose_name=_("巡检点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("科室"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supervision = models.ForeignKey(
        SupervisionInspection,
        verbose_name=_("督导检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    performed_by = models.ForeignKey(USER, verbose_name=_("检查人"), on_delete=models.PROTECT, related_name="+")
    performed_at = models.DateTimeField(_("检查时间"), db_index=True)
    period_start = models.DateTimeField(_("所属周期"), null=True, blank=True)
    scanned = models.BooleanField(_("扫码到场"), default=False)
    note = models.TextField(_("备注"), blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_reason = models.TextField(_("更正原因"), blank=True)
    pass_count = models.PositiveSmallIntegerField(_("合格"), default=0)
    fail_count = models.PositiveSmallIntegerField(_("不合格"), default=0)
    na_count = models.PositiveSmallIntegerField(_("不适用"), default=0)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["-performed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "point", "period_start"],
                condition=Q(corrects__isnull=True, schedule__isnull=False),
                name="record_one_per_slot",
                violation_error_message=_("本周期已完成该检查；如需更正，请在原记录上提交更正。"),
            )
        ]
        indexes = [
            models.Index(fields=["schedule", "period_start"], name="record_schedule_period"),
            models.Index(fields=["organization", "performed_at"], name="record_org_performed"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.template.name}"


class InspectionResult(models.Model):
    scope_field = "record__organization"

    record = models.ForeignKey(  # indexed by result_one_per_item (record, item)
        InspectionRecord, verbose_name=_("检查记录"), on_delete=models.PROTECT, related_name="results", db_index=False
    )
    item = models.ForeignKey(ChecklistItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("结果"), max_length=4, choices=Result.choices)
    note = models.TextField(_("说明"), blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("隐患"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_results",
        db_index=False,  # result_hazard: the few results with a hazard, not the millions without
    )
    hazard_created = models.BooleanField(_("新登记隐患"), default=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["record_id", "item__section__order", "item__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["record", "item"], name="result_one_per_item")]
        indexes = [models.Index(fields=["hazard"], condition=Q(hazard__isnull=False), name="result_hazard")]

    def __str__(self) -> str:
        return f"{self.item.text}：{self.get_result_display()}"


class ResultPhoto(models.Model):
    scope_field = "result__record__organization"

    result = models.ForeignKey(
        InspectionResult, verbose_name=_("检查结果"), on_delete=models.PROTECT, related_name="photos"
    )
    image = models.ImageField(_("照片"), upload_to="inspections/%Y/%m/")
    thumbnail = models.ImageField(_("缩略图"), upload_to="inspections/%Y/%m/thumbs/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.result_id}: {self.image.name}"
