"""应急预案与演练: emergency plans (综合/专项/现场处置方案) as versioned documents with review
dates; drills with their scenario, participants, timeline and evaluation, whose findings are
hazards in the ledger (source 应急演练); and each institution's rules (drill rhythm, how many
certified operators the fire-control room needs per shift)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import ScopedManager
from anjian.training.choices import DrillStatus, PlanKind
from anjian.training.models.training import new_code

USER = settings.AUTH_USER_MODEL


class TrainingRules(models.Model):
    """An institution's configurable rules; an institution without a row has the defaults."""

    scope_field = "organization"
    DEFAULT_DRILL_MONTHS = 6
    DEFAULT_FIRE_ROOM_CERTIFIED = 2

    organization = models.OneToOneField("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    drill_every_months = models.PositiveSmallIntegerField(
        _("应急演练周期（月）"),
        default=DEFAULT_DRILL_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("每个周期至少开展 1 次应急演练：6 即每半年，3 即每季度，12 即每年。须能整除 12。"),
    )
    fire_room_certified = models.PositiveSmallIntegerField(
        _("消控室每班持证人数"), default=DEFAULT_FIRE_ROOM_CERTIFIED, validators=[MinValueValidator(1)]
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("培训演练规则")
        verbose_name_plural = _("培训演练规则")

    def __str__(self) -> str:
        return str(self.organization)


class EmergencyPlan(models.Model):
    """One version of an emergency plan. A new version keeps the same ``family`` and becomes the
    current one; the earlier versions stay readable."""

    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT)
    family = models.PositiveBigIntegerField(_("预案族"), default=0, db_index=True)
    kind = models.CharField(_("预案类型"), max_length=16, choices=PlanKind.choices)
    title = models.CharField(_("预案名称"), max_length=200)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    effective_on = models.DateField(_("发布日期"))
    review_on = models.DateField(_("下次评审日期"))
    document = models.FileField(_("预案文本"), upload_to="emergency_plans/%Y/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    posts = models.ManyToManyField("orgs.Post", verbose_name=_("适用岗位"), blank=True, related_name="+")
    note = models.TextField(_("修订说明"), blank=True)
    is_current = models.BooleanField(_("现行版本"), default=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("应急预案")
        verbose_name_plural = _("应急预案")
        ordering = ["kind", "title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="emergency_plan_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    def get_absolute_url(self) -> str:
        return reverse("training:eplan-detail", args=[self.pk])


class Drill(models.Model):
    """A drill: planned ahead (scenario, plan exercised, date, expected participants) and shown as
    upcoming, then recorded once held (the date it was held, participants, timeline, evaluation,
    photos, findings); or entered at once as held. A planned drill that will not take place is
    cancelled with a reason, never deleted. Only drills held count (rhythm, overview, register)."""

    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT)
    status = models.CharField(
        _("状态"), max_length=12, choices=DrillStatus.choices, default=DrillStatus.DONE, db_index=True
    )
    title = models.CharField(_("演练名称"), max_length=200)
    scenario = models.TextField(_("演练情景"), blank=True)
    # the planned date while planned; the date it was held once recorded
    held_on = models.DateField(_("演练日期"), db_index=True)
    planned_on = models.DateField(_("计划日期"), null=True, blank=True)
    planned_participants = models.ManyToManyField(USER, verbose_name=_("计划参演人员"), blank=True, related_name="+")
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    emergency_plan = models.ForeignKey(
        EmergencyPlan,
        verbose_name=_("演练的预案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drills",
    )
    place = models.CharField(_("地点"), max_length=100, blank=True)
    participants = models.ManyToManyField(USER, verbose_name=_("参演人员"), blank=True, related_name="+")
    participant_count = models.PositiveIntegerField(_("参演人数"), default=0)
    timeline = models.TextField(_("演练过程"), blank=True)
    evaluation = models.TextField(_("演练评估"), blank=True)
    # participants sign in by scanning the drill's QR code (参演人员扫码签到)
    code = models.CharField(max_length=40, unique=True, default=new_code, editable=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("training:drill-detail", args=[self.pk])

    @property
    def is_planned(self) -> bool:
        return self.status == DrillStatus.PLANNED

    @property
    def is_done(self) -> bool:
        return self.status == DrillStatus.DONE


class DrillFinding(models.Model):
    """A problem the drill found: a hazard in the ledger (source 应急演练), closed by its loop."""

    scope_field = "drill__organization"

    drill = models.ForeignKey(Drill, on_delete=models.PROTECT, related_name="findings")
    hazard = models.OneToOneField("hazards.Hazard", on_delete=models.PROTECT, related_name="drill_finding")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("演练发现问题")
        verbose_name_plural = _("演练发现问题")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.drill} · {self.hazard}"


class DrillPhoto(models.Model):
    """A photo of the drill (现场照片), decoded and re-encoded by core.images."""

    scope_field = "drill__organization"

    drill = models.ForeignKey(Drill, on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="drills/%Y/%m/")
    thumbnail = models.ImageField(_("缩略图"), upload_to="drills/%Y/%m/thumbs/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("演练照片")
        verbose_name_plural = _("演练照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.drill} #{self.pk}"
