"""The hazard (事故隐患) and everything the closed loop records about it."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import ScopedManager, ScopedQuerySet
from anjian.hazards.choices import (
    HazardLevel,
    HazardSource,
    HazardStatus,
    PhotoPhase,
    PostponementDecision,
    SupervisionLevel,
)

USER = settings.AUTH_USER_MODEL


class HazardCategory(models.Model):
    """A field of hazards (消防, 电气, 燃气 …): a configurable list, never a constant in code."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("隐患类别")
        verbose_name_plural = _("隐患类别")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class CriterionSet(models.Model):
    """A versioned determination standard (判定标准), e.g. 《医疗机构重大事故隐患判定清单（试行）》."""

    name = models.CharField(_("标准名称"), max_length=200)
    document_number = models.CharField(_("文号/标准号"), max_length=100, blank=True)
    version = models.CharField(_("版本"), max_length=40)
    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    is_active = models.BooleanField(_("现行有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重大隐患判定标准")
        verbose_name_plural = _("重大隐患判定标准")
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="criterionset_unique_version")]

    def __str__(self) -> str:
        return str(_("%(name)s（%(version)s）") % {"name": self.name, "version": self.version})


class Criterion(models.Model):
    """One item of a determination standard; a major hazard records which item it meets."""

    criterion_set = models.ForeignKey(
        CriterionSet, verbose_name=_("判定标准"), on_delete=models.PROTECT, related_name="criteria"
    )
    code = models.CharField(_("条目号"), max_length=20)
    text = models.TextField(_("判定情形"))
    category = models.ForeignKey(
        HazardCategory, verbose_name=_("隐患类别"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("判定条目")
        verbose_name_plural = _("判定条目")
        ordering = ["criterion_set_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["criterion_set", "code"], name="criterion_unique_code")]

    def __str__(self) -> str:
        return str(_("%(set)s 第%(code)s条") % {"set": self.criterion_set.name, "code": self.code})


class HazardQuerySet(ScopedQuerySet):
    """Writes that bypass ``Hazard.save`` keep the monthly summary (``hazards.summary``) too."""

    def update(self, **kwargs):
        from anjian.hazards import summary

        if not {f.removesuffix("_id") for f in kwargs} & set(summary.FIELDS):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            old = summary.stored(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            summary.apply(old, summary.stored([row["pk"] for row in old], lock=False))
        return count

    update.alters_data = True

    def delete(self):
        from anjian.hazards import summary

        with transaction.atomic(using=self.db, savepoint=False):
            old = summary.stored(self.values_list("pk", flat=True))
            result = super().delete()
            summary.apply(old, [])
        return result

    delete.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        from anjian.hazards import summary

        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            summary.apply([], [summary.row_of(h) for h in created])
        return created


class Hazard(models.Model):
    scope_field = "organization"

    number = models.CharField(_("隐患编号"), max_length=20, unique=True, editable=False)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="hazards"
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("所在科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    location = models.CharField(_("隐患部位"), max_length=200)
    title = models.CharField(_("隐患名称"), max_length=200)
    description = models.TextField(_("隐患描述"), blank=True)
    category = models.ForeignKey(HazardCategory, verbose_name=_("隐患类别"), on_delete=models.PROTECT)
    level = models.CharField(_("隐患等级"), max_length=10, choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    source = models.CharField(_("隐患来源"), max_length=20, choices=HazardSource.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=HazardStatus.choices, default=HazardStatus.REPORTED, db_index=True
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("判定依据"), null=True, blank=True, on_delete=models.PROTECT, related_name="hazards"
    )
    found_at = models.DateTimeField(_("发现时间"))
    found_by = models.ForeignKey(
        USER, verbose_name=_("发现人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    found_by_name = models.CharField(_("发现人/单位"), max_length=100, blank=True)
    fixed_on_spot = models.BooleanField(_("即查即改"), default=False)
    source_reference = models.CharField(
        _("来源编号"),
        max_length=100,
        blank=True,
        help_text=_("举报受理编号、上级交办文号或第三方检查报告编号"),
    )
    risk = models.ForeignKey(
        "risks.Risk",
        verbose_name=_("关联风险"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
        help_text=_("在风险点排查管控措施时发现的隐患，关联到该风险"),
    )

    # the rectification plan (整改方案); a major hazard needs all six parts (16号令, "五落实")
    goal = models.TextField(_("整改目标和任务"), blank=True)
    measures = models.TextField(_("整改方法和措施"), blank=True)
    funds = models.DecimalField(
        _("整改资金（元）"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    materials = models.TextField(_("经费和物资落实"), blank=True)
    responsible_unit = models.CharField(_("责任单位/部门"), max_length=100, blank=True)
    responsible = models.ForeignKey(
        USER, verbose_name=_("整改责任人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("整改期限"), null=True, blank=True, db_index=True)
    original_deadline = models.DateField(_("原定整改期限"), null=True, blank=True)
    requirements = models.TextField(_("时限和要求"), blank=True)
    safety_measures = models.TextField(_("整改期间安全措施和应急预案"), blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        USER, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # rectification, endorsement, acceptance
    rectification_note = models.TextField(_("整改情况"), blank=True)
    rectified_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    rectified_by = models.ForeignKey(
        USER, verbose_name=_("整改提交人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    endorsed_at = models.DateTimeField(_("单位负责人审核时间"), null=True, blank=True)
    endorsed_by = models.ForeignKey(
        USER, verbose_name=_("单位负责人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("验收销号时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        USER, verbose_name=_("验收人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acceptance_note = models.TextField(_("验收意见"), blank=True)
    dismissed_reason = models.TextField(_("撤销理由"), blank=True)

    # listed supervision (挂牌督办)
    is_supervised = models.BooleanField(_("挂牌督办"), default=False, db_index=True)
    supervision_level = models.CharField(_("督办级别"), max_length=10, choices=SupervisionLevel.choices, blank=True)
    supervision_deadline = models.DateField(_("督办期限"), null=True, blank=True)
    supervision_notice_number = models.CharField(_("督办通知书文号"), max_length=60, blank=True)
    supervised_at = models.DateTimeField(_("挂牌时间"), null=True, blank=True)
    supervised_by = models.ForeignKey(
        USER, verbose_name=_("挂牌人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # historical backfill (历史补录, hazards.services.hazard_backfill): a hazard found before the months
    # whose forms were sent enters through the ledger import, dated (found_at, accepted_at) when it was
    # entered so that it counts in that month; the dates on the old record are kept here
    is_backfill = models.BooleanField(_("历史补录"), default=False)
    original_found_on = models.DateField(_("原发现日期"), null=True, blank=True)
    original_closed_on = models.DateField(_("原销号日期"), null=True, blank=True)
    backfill_batch = models.CharField(
        _("补录批次"), max_length=40, blank=True, help_text=_("同一次导入补录的隐患批次号，也记在操作记录中")
    )

    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ["-found_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status", "deadline"], name="hazard_org_status_deadline"),
            models.Index(fields=["organization", "found_at"], name="hazard_org_found"),
            # the city-wide ledger, newest first, stops after a page instead of sorting every match
            models.Index(fields=["-found_at", "-id"], name="hazard_found_desc"),
            models.Index(fields=["status", "-found_at", "-id"], name="hazard_status_found_desc"),
            models.Index(
                fields=["-found_at", "-id"],
                condition=models.Q(status__in=["reported", "rectifying", "awaiting_acceptance"]),
                name="hazard_open_found_desc",
            ),
            # the city-wide ledger filtered by status and category, or by level (and status), or by
            # category in deadline order: a page walks the index in order and stops after 50 rows, and
            # the bounded count (hazards.pagination) reads the index alone (organization included)
            models.Index(
                fields=["status", "category", "-found_at", "-id"],
                include=["organization", "deadline", "level"],
                name="hazard_status_cat_found",
            ),
            models.Index(
                fields=["level", "status", "-found_at", "-id"],
                include=["organization"],
                name="hazard_level_status_found",
            ),
            models.Index(
                fields=["category", "deadline", "id"], include=["organization", "status"], name="hazard_cat_deadline"
            ),
            # the open hazards alone (a few percent of a city's), index-only: what the dashboards count
            # beside the monthly summary (open, overdue today, per institution, supervised, majors)
            models.Index(
                fields=["organization", "deadline"],
                condition=models.Q(status__in=["reported", "rectifying", "awaiting_acceptance"]),
                include=["id", "level", "category", "source", "found_at", "is_supervised", "status"],
                name="hazard_open_cover",
            ),
            # the statistics (stats.selectors) count a city's hazards from this index alone (index-only
            # scan, a fifth of the table's size): measured 1.8× faster on 1M hazards (docs/performance.md)
            models.Index(
                fields=["found_at"],
                include=[
                    "id",
                    "organization",
                    "status",
                    "accepted_at",
                    "deadline",
                    "level",
                    "source",
                    "category",
                    "department",
                ],
                name="hazard_stats_cover",
            ),
        ]
        constraints = [
            # the original dates belong to a backfilled hazard only, which has at least the found one
            models.CheckConstraint(
                condition=(
                    models.Q(is_backfill=False, original_found_on__isnull=True, original_closed_on__isnull=True)
                    | (
                        models.Q(is_backfill=True, original_found_on__isnull=False)
                        & (
                            models.Q(original_closed_on__isnull=True)
                            | models.Q(original_closed_on__gte=models.F("original_found_on"))
                        )
                    )
                ),
                name="hazard_backfill_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        """Save, and move the monthly summary (``hazards.summary``) in the same transaction."""
        from anjian.hazards import summary

        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not {f.removesuffix("_id") for f in update_fields} & set(summary.FIELDS):
            return super().save(*args, **kwargs)
        with transaction.atomic(savepoint=False):
            old = [] if self._state.adding or self.pk is None else summary.stored([self.pk])
            super().save(*args, **kwargs)
            summary.apply(old, [summary.row_of(self, old[0] if old else None)])

    save.alters_data = True

    def delete(self, *args, **kwargs):
        from anjian.hazards import summary

        with transaction.atomic(savepoint=False):
            old = summary.stored([self.pk])
            result = super().delete(*args, **kwargs)
            summary.apply(old, [])
        return result

    delete.alters_data = True

    @property
    def is_major(self) -> bool:
        return self.level == HazardLevel.MAJOR

    @property
    def is_open(self) -> bool:
        return self.status in (HazardStatus.REPORTED, HazardStatus.RECTIFYING, HazardStatus.AWAITING_ACCEPTANCE)


class HazardPhoto(models.Model):
    scope_field = "hazard__organization"

    hazard = models.ForeignKey(Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="photos")
    phase = models.CharField(_("阶段"), max_length=10, choices=PhotoPhase.choices)
    image = models.ImageField(_("照片"), upload_to="hazards/%Y/%m/")
    thumbnail = models.ImageField(_("缩略图"), upload_to="hazards/%Y/%m/thumbs/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        USER, verbose_name=_("上传人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("隐患照片")
        verbose_name_plural = _("隐患照片")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.hazard.number} {self.get_phase_display()}"


class Postponement(models.Model):
    """A request to move the deadline, and its decision; the original deadline stays on the hazard."""

    scope_field = "hazard__organization"

    hazard = models.ForeignKey(Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="postponements")
    requested_deadline = models.DateField(_("申请延期至"))
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(USER, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decision = models.CharField(
        _("审批结果"), max_length=10, choices=PostponementDecision.choices, default=PostponementDecision.PENDING
    )
    decided_by = models.ForeignKey(
        USER, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"], condition=models.Q(decision="pending"), name="postponement_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hazard.number} → {self.requested_deadline}"


class HazardMonth(models.Model):
    """The hazards below one regulator, of one institution kind (or all), level, category and source,
    counted per calendar month (local time): the summary the dashboards read instead of a city's
    million hazards (``hazards.summary`` keeps it in the transaction of every hazard write;
    ``manage.py rebuild_hazard_summary`` rebuilds and checks it).

    A hazard counts under every regulator above its organization (and the organization itself if
    a regulator), both in its kind's rows and in the rows of all kinds (``kind`` empty): a
    regulator's dashboard reads its own rows only, a few thousand for a city. Dismissed hazards are
    in no row. What each count counts: ``hazards.summary``.
    """

    region = models.ForeignKey(
        "orgs.Organization", verbose_name=_("监管部门"), on_delete=models.PROTECT, related_name="hazard_months"
    )
    kind = models.CharField(_("机构类别"), max_length=32, blank=True, help_text=_("为空表示全部类别"))
    level = models.CharField(_("隐患等级"), max_length=10, choices=HazardLevel.choices)
    category = models.ForeignKey(HazardCategory, verbose_name=_("隐患类别"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("隐患来源"), max_length=20, choices=HazardSource.choices)
    month = models.DateField(_("月份"))  # the first day of the month
    found = models.IntegerField(_("发现"), default=0)
    found_closed = models.IntegerField(_("当月发现当月销号"), default=0)
    closed = models.IntegerField(_("销号"), default=0)
    closed_in_time = models.IntegerField(_("按期销号"), default=0)
    open_ended = models.IntegerField(_("不再未销号"), default=0)
    overdue_began = models.IntegerField(_("月末转为逾期"), default=0)
    overdue_ended = models.IntegerField(_("逾期后销号"), default=0)

    class Meta:
        verbose_name = _("隐患月度汇总")
        verbose_name_plural = _("隐患月度汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "level", "category", "source", "month"], name="hazardmonth_unique_key"
            )
        ]
        indexes = [models.Index(fields=["region", "month"], name="hazardmonth_region_month")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.kind} {self.level} {self.category_id} {self.source} {self.month:%Y-%m}"
