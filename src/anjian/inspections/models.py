"""The inspection regime (隐患排查): checklists in versions, inspection points, schedules, the
records filled at a place, supervision inspections by the regulator and interviews (约谈).

Due inspections are not stored: ``due.py`` computes them from the schedules (and the records
that fulfilled them), so "due today" is always right without a background job.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.core.roles import INSTITUTION_ROLES, Role
from anjian.core.scoping import NOTHING, ScopedManager, ScopedQuerySet, scope_q
from anjian.inspections.choices import InstitutionFlag, Result, Rhythm, TemplateStatus
from anjian.orgs.choices import InstitutionKind

USER = settings.AUTH_USER_MODEL


class TemplateQuerySet(ScopedQuerySet):
    """Checklists reach down the tree: the platform's starter library (no owner) and a regulator's
    district-wide checklists are visible to the institutions below it; an institution's own
    checklists to that institution (and to its regulators, as any of its data)."""

    def visible_to(self, user):
        field = self.model.scope_field
        own = scope_q(user, field)
        if own is NOTHING:
            return self.filter(own)
        org = user.organization
        ancestors = [int(x) for x in org.path.strip("/").split("/") if x] if org is not None else []
        return self.filter(own | Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": ancestors}))


TemplateManager = models.Manager.from_queryset(TemplateQuerySet)


class ChecklistTemplate(models.Model):
    """One version of a checklist (检查表). A published version never changes; a new version is a
    copy (same ``family``, next ``version``); records keep the version they used."""

    scope_field = "owner"

    owner = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("空：平台通用检查表（示范库）"),
    )
    family = models.UUIDField(_("检查表标识"), default=uuid.uuid4, db_index=True, editable=False)
    code = models.SlugField(_("编码"), max_length=60, blank=True)
    name = models.CharField(_("检查表名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    applies_to = models.CharField(_("适用场所"), max_length=200, blank=True)
    category = models.ForeignKey(
        "hazards.HazardCategory", verbose_name=_("隐患类别"), null=True, blank=True, on_delete=models.PROTECT
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=10, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT)
    based_on = models.ForeignKey(
        "self", verbose_name=_("来源版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = TemplateManager()

    class Meta:
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["family", "version"], name="checklist_unique_version")]

    def __str__(self) -> str:
        return str(_("%(name)s（第%(v)s版）") % {"name": self.name, "v": self.version})

    @property
    def is_published(self) -> bool:
        return self.status == TemplateStatus.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status == TemplateStatus.DRAFT


class ChecklistSection(models.Model):
    scope_field = "template__owner"

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("检查表"), on_delete=models.PROTECT, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(_("分区"), max_length=100)

    objects = TemplateManager()

    class Meta:
        verbose_name = _("检查表分区")
        verbose_name_plural = _("检查表分区")
        ordering = ["template_id", "order", "pk"]

    def __str__(self) -> str:
        return self.title


# what a checklist's editor (page, API) edits of an item, and what a new version copies
ITEM_FIELDS = [
    "text",
    "fail_text",
    "category",
    "basis",
    "criterion",
    "guidance",
    "photo_required_on_fail",
    "suggests_major",
]


class ChecklistItem(models.Model):
    """One thing to check. ``key`` stays the same across versions: "the same item" for linking a
    repeated failure to the hazard already open."""

    scope_field = "template__owner"

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("检查表"), on_delete=models.PROTECT, related_name="items"
    )
    section = models.ForeignKey(
        ChecklistSection, verbose_name=_("分区"), on_delete=models.PROTECT, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    key = models.UUIDField(_("检查项标识"), default=uuid.uuid4, db_index=True, editable=False)
    text = models.CharField(_("检查内容"), max_length=300)
    fail_text = models.CharField(
        _("不合格表述"),
        max_length=200,
        blank=True,
        help_text=_(
            "该项不合格时登记的隐患名称，写明存在的问题，如“安全出口、疏散通道堵塞或锁闭”；"
            "不填则为“不符合要求：检查内容”"
        ),
    )
    category = models.ForeignKey(
        "hazards.HazardCategory", verbose_name=_("隐患类别"), null=True, blank=True, on_delete=models.PROTECT
    )
    basis = models.CharField(_("检查依据"), max_length=200, blank=True)
    criterion = models.ForeignKey(
        "hazards.Criterion", verbose_name=_("重大隐患判定条目"), null=True, blank=True, on_delete=models.PROTECT
    )
    guidance = models.TextField(_("检查方法"), blank=True)
    photo_required_on_fail = models.BooleanField(_("不合格须拍照"), default=True)
    suggests_major = models.BooleanField(_("不合格可能构成重大隐患"), default=False)

    objects = TemplateManager()

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["template_id", "section__order", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def problem(self) -> str:
        """What a failure of the item is called: the title of the hazard it raises. The item's own
        不合格表述, else the compliant wording marked as not met (items written before it existed)."""
        text = (self.fail_text or "").strip()
        return text or str(_("不符合要求：%(text)s")) % {"text": self.text}


def _point_code() -> str:
    return secrets.token_urlsafe(8)


def new_label_secret() -> str:
    return secrets.token_urlsafe(32)


class InspectionPoint(models.Model):
    """A named place (巡检点) with a QR label; scanning it opens the point's due checklist.

    The label's address carries a token signed with ``label_secret`` (``labels.scan_token``): a
    record is "scanned at the point" only with the token of the label now on the wall. Reprinting
    the label (``services.point_reissue_label``) draws a new secret, so the old labels stop proving
    presence; ``label_version`` counts the labels printed, to tell an old one from the current."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="inspection_points"
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("所在科室"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("巡检点名称"), max_length=100)
    location = models.CharField(_("位置"), max_length=200, blank=True)
    code = models.CharField(_("二维码编码"), max_length=20, unique=True, default=_point_code, editable=False)
    label_secret = models.CharField(_("标签密钥"), max_length=64, default=new_label_secret, editable=False)
    label_version = models.PositiveIntegerField(_("标签版本"), default=1, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("巡检点")
        verbose_name_plural = _("巡检点")
        ordering = ["organization_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="point_unique_name",
                violation_error_message=_("本机构已有同名巡检点。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.department_id and self.department.organization_id != self.organization_id:
            raise ValidationError({"department": _("科室须属于该机构。")})


class RhythmDefault(models.Model):
    """The default rhythm of one duty for institutions of a kind or flag (DOMAIN.md §3): data the
    regulator edits; "schedules from defaults" turns them into an institution's schedules."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("机构类别"), max_length=32, choices=InstitutionKind.choices, blank=True)
    flag = models.CharField(_("机构标识"), max_length=32, choices=InstitutionFlag.choices, blank=True)
    role = models.CharField(_("由谁检查"), max_length=20, choices=Role.choices)
    rhythm = models.CharField(_("频次"), max_length=12, choices=Rhythm.choices)
    every_hours = models.PositiveSmallIntegerField(_("间隔小时"), null=True, blank=True)
    day_start = models.TimeField(
        _("每日检查时段起"), null=True, blank=True, help_text=_("仅“每日每隔N小时”：空为 00:00")
    )
    day_end = models.TimeField(_("每日检查时段止"), null=True, blank=True, help_text=_("仅“每日每隔N小时”：空为 24:00"))
    template_code = models.SlugField(_("检查表编码"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("默认排查频次")
        verbose_name_plural = _("默认排查频次")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "flag", "role", "template_code"], name="rhythm_default_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_hours(self.rhythm, self.every_hours, self.day_start, self.day_end)

    @property
    def rhythm_label(self) -> str:
        return rhythm_label(self.rhythm, self.every_hours, self.day_start, self.day_end)


def _minutes(t: dt.time | None, default: int) -> int:
    return default if t is None else t.hour * 60 + t.minute


def window_text(day_start: dt.time | None, day_end: dt.time | None) -> str:
    """The day window of an "every N hours" rhythm as people write it: 08:00–20:00, 00:00–24:00."""
    end = "24:00" if day_end is None else f"{day_end:%H:%M}"
    return f"{(day_start or dt.time.min):%H:%M}–{end}"


def rhythm_label(rhythm: str, every_hours: int | None, day_start=None, day_end=None) -> str:
    if rhythm == Rhythm.HOURS:
        if day_start is None and day_end is None:
            return str(_("全天每%(n)s小时")) % {"n": every_hours}
        return str(_("%(w)s 每%(n)s小时")) % {"w": window_text(day_start, day_end), "n": every_hours}
    return str(Rhythm(rhythm).label)


def _check_hours(rhythm: str, every_hours: int | None, day_start=None, day_end=None) -> None:
    """ "Every N hours within the day": N from 1 to 12, and a window of the day (00:00–24:00 when
    left empty) inside one day, at least N hours long. Other rhythms take no window."""
    if rhythm != Rhythm.HOURS:
        if day_start is not None or day_end is not None:
            raise ValidationError({"day_start": _("只有“每日每隔N小时”可以设置每日检查时段。")})
        return
    if not (every_hours and 1 <= every_hours <= 12):
        raise ValidationError({"every_hours": _("“每日每隔N小时”须填写间隔小时数（1～12）。")})
    start, end = _minutes(day_start, 0), _minutes(day_end, 24 * 60)
    if end <= start:
        raise ValidationError({"day_end": _("检查时段的结束时间须晚于开始时间（时段在同一天内，如 08:00–20:00）。")})
    if end - start < every_hours * 60:
        raise ValidationError(
            {
                "day_end": _("检查时段（%(w)s）短于间隔 %(n)s 小时。")
                % {"w": window_text(day_start, day_end), "n": every_hours}
            }
        )


class Schedule(models.Model):
    """排查计划: who inspects what, where and how often, from when to when."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="inspection_schedules"
    )
    name = models.CharField(_("计划名称"), max_length=100)
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("检查表"), on_delete=models.PROTECT, related_name="schedules"
    )
    assignee = models.ForeignKey(
        USER, verbose_name=_("检查人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey(
        "orgs.Post", verbose_name=_("岗位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("科室"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    points = models.ManyToManyField(InspectionPoint, verbose_name=_("巡检点"), blank=True, related_name="schedules")
    rhythm = models.CharField(_("频次"), max_length=12, choices=Rhythm.choices)
    every_hours = models.PositiveSmallIntegerField(_("间隔小时"), null=True, blank=True)
    day_start = models.TimeField(
        _("每日检查时段起"), null=True, blank=True, help_text=_("仅“每日每隔N小时”：空为 00:00，如 08:00")
    )
    day_end = models.TimeField(
        _("每日检查时段止"), null=True, blank=True, help_text=_("仅“每日每隔N小时”：空为 24:00，如 20:00")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("排查计划")
        verbose_name_plural = _("排查计划")
        ordering = ["organization_id", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def who(self) -> str:
        if self.assignee_id:
            return self.assignee.name
        if self.post_id:
            return str(self.post)
        dept = f"{self.department.name} · " if self.department_id else ""
        return f"{dept}{Role(self.role).label}" if self.role else "—"

    @property
    def rhythm_label(self) -> str:
        return rhythm_label(self.rhythm, self.every_hours, self.day_start, self.day_end)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        chosen = [x for x in (self.assignee_id, self.post_id, self.role) if x]
        if len(chosen) != 1:
            errors.setdefault("assignee", []).append(_("请指定检查人、岗位或角色中的一项。"))
        if self.assignee_id and self.assignee.organization_id != self.organization_id:
            errors.setdefault("assignee", []).append(_("检查人须为本机构人员。"))
        if self.post_id and self.post.organization_id != self.organization_id:
            errors.setdefault("post", []).append(_("岗位须属于本机构。"))
        if self.department_id and self.department.organization_id != self.organization_id:
            errors.setdefault("department", []).append(_("科室须属于本机构。"))
        if self.role and self.role not in INSTITUTION_ROLES:
            errors.setdefault("role", []).append(_("角色须为机构内的角色（员工、科室负责人、安全管理员等）。"))
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors.setdefault("ends_on", []).append(_("结束日期不能早于开始日期。"))
        try:
            _check_hours(self.rhythm, self.every_hours, self.day_start, self.day_end)
        except ValidationError as exc:
            for k, v in exc.message_dict.items():
                errors.setdefault(k, []).extend(v)
        if errors:
            raise ValidationError(errors)

    def assigned_to(self, user) -> bool:
        """Whether the schedule is the user's duty (the person, their post, or their role there)."""
        if user.organization_id != self.organization_id:
            return False
        if self.assignee_id:
            return self.assignee_id == user.pk
        if self.post_id:
            return self.post_id == user.post_id
        return self.role == user.role and (not self.department_id or self.department_id == user.department_id)


class SupervisionQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """In scope; an inspector (third party / expert) besides only the supervisions whose team
        they are on (their engagement brings the institution into scope: orgs.Engagement)."""
        qs = super().visible_to(user)
        if getattr(user, "role", None) == Role.INSPECTOR:
            qs = qs.filter(inspectors=user)
        return qs


class SupervisionInspection(models.Model):
    """督导检查: the regulator's team inspects an institution; problems found become hazards."""

    scope_field = "institution"

    number = models.CharField(_("编号"), max_length=20, unique=True, editable=False)
    regulator = models.ForeignKey(
        "orgs.Organization", verbose_name=_("监管部门"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "orgs.Organization", verbose_name=_("被检查机构"), on_delete=models.PROTECT, related_name="supervisions"
    )
    date = models.DateField(_("检查日期"))
    subject = models.CharField(_("检查主题"), max_length=200)
    leader = models.CharField(_("带队领导"), max_length=50, blank=True)
    team = models.TextField(_("检查组成员"))
    inspectors = models.ManyToManyField(
        USER, verbose_name=_("检查组中的受委托检查员"), blank=True, related_name="supervision_teams"
    )
    summary = models.TextField(_("检查情况"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("督导检查")
        verbose_name_plural = _("督导检查")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.institution.name}"


class InspectionRecord(models.Model):
    """One inspection done: the version of the checklist used, where, by whom, when. Never changed
    once submitted; a correction is a new record that ``corrects`` the original."""

    scope_field = "organization"

    number = models.CharField(_("记录编号"), max_length=20, unique=True, editable=False)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="inspection_records"
    )
    schedule = models.ForeignKey(
        Schedule, verbose_name=_("排查计划"), null=True, blank=True, on_delete=models.PROTECT, related_name="records"
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

    record = models.ForeignKey(
        InspectionRecord, verbose_name=_("检查记录"), on_delete=models.PROTECT, related_name="results"
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
    )
    hazard_created = models.BooleanField(_("新登记隐患"), default=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["record_id", "item__section__order", "item__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["record", "item"], name="result_one_per_item")]

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


class SupervisionFinding(models.Model):
    """A problem the supervision team found, entered as a hazard of the institution (source 督导检查)."""

    scope_field = "supervision__institution"

    supervision = models.ForeignKey(
        SupervisionInspection, verbose_name=_("督导检查"), on_delete=models.PROTECT, related_name="findings"
    )
    hazard = models.ForeignKey("hazards.Hazard", verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("督导检查发现问题")
        verbose_name_plural = _("督导检查发现问题")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.supervision_id}: {self.hazard_id}"


class Interview(models.Model):
    """约谈: the regulator interviews an institution's leaders (and warns them)."""

    scope_field = "institution"

    regulator = models.ForeignKey(
        "orgs.Organization", verbose_name=_("监管部门"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "orgs.Organization", verbose_name=_("被约谈机构"), on_delete=models.PROTECT, related_name="interviews"
    )
    date = models.DateField(_("约谈日期"))
    reason = models.TextField(_("约谈事由"))
    attendees = models.TextField(_("参加人员"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    outcome = models.TextField(_("约谈要求及整改承诺"), blank=True)
    is_warning = models.BooleanField(_("警示约谈"), default=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("约谈")
        verbose_name_plural = _("约谈")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.institution.name}"
