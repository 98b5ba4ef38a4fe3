"""Plans (任务清单) with their actions and tasks, one assignment per task × responsible unit with its
progress reports and the regulator's review, the import drafts awaiting confirmation, and periodic
reports (报送): their definitions and the units' submissions.

A plan belongs to the regulator that issued it; an assignment, a progress report and a submission
to the responsible unit. A regulator sees what lies in its jurisdiction; an institution sees its own
assignments and the plan and task text they belong to (``PlanQuerySet.visible_to``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.action_plans.choices import (
    AssignmentStatus,
    DraftStatus,
    Frequency,
    HolidayShift,
    ReviewState,
    Rhythm,
    SubmissionStatus,
)
from anjian.action_plans.rules import assignment_is_overdue
from anjian.core.scoping import ScopedManager, ScopedQuerySet, scope_q
from anjian.orgs.choices import InstitutionKind, Ownership


class UnitGroup(models.Model):
    """A group of institutions named in words in task tables ("局属各单位", "托育机构"): the words
    that name it, and which institutions of a jurisdiction belong to it. Shared reference data,
    edited by administrators (defaults in ``defaults.py``)."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    keywords = models.JSONField(_("对应的表述"), default=list, help_text=_("表格中出现这些词语即对应本组"))
    kinds = models.JSONField(_("机构类别"), default=list, blank=True)
    ownership = models.CharField(_("所有制"), max_length=10, choices=Ownership.choices, blank=True)
    all_institutions = models.BooleanField(_("辖区全部机构"), default=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("单位分组")
        verbose_name_plural = _("单位分组")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    def kind_labels(self) -> list[str]:
        return [str(InstitutionKind(k).label) for k in self.kinds if k in InstitutionKind.values]

    def institutions_q(self) -> Q:
        """The filter on Organization for the institutions of this group."""
        q = Q(type="institution", is_active=True)
        if self.all_institutions:
            return q
        if self.kinds:
            q &= Q(kind__in=self.kinds)
        if self.ownership:  # "public" leaves out the private ones (and the other way round); unknown stays in
            other = Ownership.PRIVATE if self.ownership == Ownership.PUBLIC else Ownership.PUBLIC
            q &= ~Q(ownership=other)
        return q


class PlanQuerySet(ScopedQuerySet):
    """Plans (and their tasks) are visible to the issuer's jurisdiction and to the units they assign."""

    def visible_to(self, user):
        field = self.model.scope_field
        assigned = Assignment.objects.filter(scope_q(user, "organization"))
        if self.model is Plan:
            assigned = assigned.filter(task__plan=OuterRef("pk"))
        else:
            assigned = assigned.filter(task=OuterRef("pk"))
        return self.filter(scope_q(user, field) | Q(Exists(assigned)))


class Plan(models.Model):
    """A plan with its task list, issued by a regulator (渝北卫健〔2024〕143号)."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="action_plans"
    )
    title = models.CharField(_("方案名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("起始年度"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("截止年度"), null=True, blank=True)
    document = models.FileField(_("方案原文"), upload_to="action_plans/%Y/%m/", blank=True)
    source_name = models.CharField(_("导入文件"), max_length=200, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = models.Manager.from_queryset(PlanQuerySet)()

    class Meta:
        verbose_name = _("任务清单")
        verbose_name_plural = _("任务清单")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(start_year__lte=models.F("end_year")),
                name="plan_period_ordered",
                violation_error_message=_("截止年度不能早于起始年度。"),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("action_plans:plan-detail", args=[self.pk])

    @property
    def period(self) -> str:
        if self.start_year and self.end_year and self.start_year != self.end_year:
            return f"{self.start_year}—{self.end_year}"
        return str(self.start_year or self.end_year or "")


class PlanAction(models.Model):
    """An action (行动) of a plan, grouping its key tasks."""

    scope_field = "plan__organization"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("行动"), max_length=200)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("行动")
        verbose_name_plural = _("行动")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_action_number_unique")]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """A key task of a plan: what, by whom, by when, and in what form the result comes."""

    scope_field = "plan__organization"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks")
    action = models.ForeignKey(PlanAction, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subtasks",
        help_text=_("分项任务所属的编号任务（表格中合并序号下的各行）"),
    )
    number = models.CharField(_("序号"), max_length=20)
    sort_order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("任务名称"), max_length=200, blank=True)
    content = models.TextField(_("任务内容"))
    measures = models.TextField(_("重点措施"), blank=True)
    notes = models.TextField(_("备注"), blank=True, help_text=_("原表中的工作进展、备注等"))
    targets = models.JSONField(_("年度目标"), default=dict, blank=True)
    lead_offices = models.JSONField(_("责任处室"), default=list, blank=True)
    units_text = models.TextField(_("责任单位（原文）"), blank=True)
    unit_groups = models.ManyToManyField(UnitGroup, verbose_name=_("责任单位分组"), blank=True, related_name="+")
    named_units = models.ManyToManyField(
        "orgs.Organization", verbose_name=_("点名的责任单位"), blank=True, related_name="+"
    )
    unmatched_units = models.JSONField(_("未对应的责任单位"), default=list, blank=True)
    cooperating_text = models.TextField(_("配合单位"), blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    deadline_text = models.CharField(_("完成时限（原文）"), max_length=100, blank=True)
    is_standing = models.BooleanField(_("长期坚持"), default=False)
    rhythm = models.CharField(_("报送频次"), max_length=12, choices=Rhythm.choices, blank=True)
    deadline_unclear = models.BooleanField(_("时限待确认"), default=False)
    result_form = models.CharField(_("成果形式"), max_length=200, blank=True)

    objects = models.Manager.from_queryset(PlanQuerySet)()

    class Meta:
        verbose_name = _("重点任务")
        verbose_name_plural = _("重点任务")
        ordering = ["plan", "sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title or self.content[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("action_plans:task-detail", args=[self.pk])

    @property
    def organization(self):
        """The issuing regulator (the audit trail files the task's events under it)."""
        return self.plan.organization

    @property
    def deadline_display(self) -> str:
        if self.deadline:
            date = self.deadline.strftime("%Y-%m-%d")
            if self.is_standing:
                return str(_("%(date)s前，长期坚持") % {"date": date})
            return str(_("%(date)s前") % {"date": date})
        if self.is_standing:
            return str(_("长期坚持"))
        return self.deadline_text or "—"


class Assignment(models.Model):
    """One task for one responsible unit: its status, its progress and the regulator's review."""

    scope_field = "organization"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="assignments")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="task_assignments"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.NOT_STARTED
    )
    review_state = models.CharField(_("审核"), max_length=10, choices=ReviewState.choices, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    last_reported_on = models.DateField(_("最近报告"), null=True, blank=True)
    report_count = models.PositiveIntegerField(_("报告次数"), default=0)
    version = models.PositiveIntegerField(default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("任务分解")
        verbose_name_plural = _("任务分解")
        ordering = ["task__sort_order", "organization__path"]
        constraints = [models.UniqueConstraint(fields=["task", "organization"], name="assignment_task_org_unique")]

    def __str__(self) -> str:
        return f"{self.task} · {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("action_plans:assignment-detail", args=[self.pk])

    def is_overdue(self, today=None) -> bool:
        """Late: not done and past its task's deadline (``rules.assignment_is_overdue``)."""
        return assignment_is_overdue(
            status=self.status, deadline=self.task.deadline, today=today or timezone.localdate()
        )

    @property
    def colour(self) -> str:
        """The matrix colour: red late, green done, yellow awaiting review, blue in progress, grey not started."""
        if self.is_overdue():
            return "red"
        if self.status == AssignmentStatus.DONE:
            return "green"
        if self.review_state == ReviewState.PENDING:
            return "yellow"
        if self.status == AssignmentStatus.IN_PROGRESS:
            return "blue"
        return "secondary"

    @property
    def status_label(self) -> str:
        if self.is_overdue():
            if self.status == AssignmentStatus.NOT_STARTED:
                return str(_("逾期·未开始"))
            return str(_("逾期·待审核")) if self.review_state == ReviewState.PENDING else str(_("逾期·推进中"))
        if self.review_state == ReviewState.PENDING:
            return str(_("待审核"))
        if self.review_state == ReviewState.RETURNED and self.status != AssignmentStatus.DONE:
            return str(_("已退回"))
        return str(self.get_status_display())


class ProgressReport(models.Model):
    """What a responsible unit reports on its assignment, with the form of the result."""

    scope_field = "assignment__organization"

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="reports")
    text = models.TextField(_("工作进展"))
    reported_on = models.DateField(_("报告日期"), default=timezone.localdate)
    result_form = models.CharField(_("成果形式"), max_length=200, blank=True)
    claims_done = models.BooleanField(_("申请确认完成"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("报告人")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.reported_on}"


class ProgressAttachment(models.Model):
    scope_field = "report__assignment__organization"

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("附件"), upload_to="action_plans/progress/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("进展附件")
        verbose_name_plural = _("进展附件")

    def __str__(self) -> str:
        return self.name


class ImportDraft(models.Model):
    """An uploaded task table, parsed and awaiting the user's confirmation (nothing stored before)."""

    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200)
    layout = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=200, blank=True)
    parsed = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=DraftStatus.choices, default=DraftStatus.PENDING)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("待确认的导入")
        verbose_name_plural = _("待确认的导入")

    def __str__(self) -> str:
        return self.file_name


class ReportDefinition(models.Model):
    """A periodic report a regulator requires (报送): its fields, its due rule, who owes it."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("要求单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("报表名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    fields = models.JSONField(
        _("填报项"), default=list, help_text=_('[{"name": "highlights", "label": "亮点工作", "type": "text"}]')
    )
    max_chars = models.PositiveIntegerField(_("全文字数上限"), null=True, blank=True)
    frequency = models.CharField(_("频次"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    due_day = models.PositiveSmallIntegerField(_("报送日"), default=25)
    months_after = models.PositiveSmallIntegerField(
        _("报送月份"), default=0, help_text=_("0：当月报送本月情况；1：次月报送上月情况")
    )
    holiday_shift = models.CharField(
        _("节假日"), max_length=14, choices=HolidayShift.choices, default=HolidayShift.NONE
    )
    unit_groups = models.ManyToManyField(UnitGroup, verbose_name=_("报送单位"), blank=True, related_name="+")
    is_active = models.BooleanField(_("启用"), default=True)
    template_key = models.CharField(max_length=40, blank=True, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("报表")
        verbose_name_plural = _("报表")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_day__gte=1) & Q(due_day__lte=31),
                name="report_due_day_in_month",
                violation_error_message=_("报送日应为每月1日至31日之间。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("action_plans:report-detail", args=[self.pk])


class ReportSubmission(models.Model):
    """One unit's report for one period: a draft until submitted."""

    scope_field = "organization"

    definition = models.ForeignKey(ReportDefinition, on_delete=models.PROTECT, related_name="submissions")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField(_("所属期"), help_text=_("期间的第一天"))
    values = models.JSONField(_("内容"), default=dict)
    counted = models.JSONField(
        _("平台统计"), default=dict, blank=True, help_text=_("保存时平台按台账和排查记录统计的数字，按填报项")
    )
    reasons = models.JSONField(_("更正原因"), default=dict, blank=True, help_text=_("与平台统计不一致的填报项及其原因"))
    status = models.CharField(
        _("状态"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("报送")
        verbose_name_plural = _("报送")
        ordering = ["-period", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "organization", "period"],
                name="submission_unique_per_period",
                violation_error_message=_("本单位该期报表已存在。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.definition} · {self.organization} · {self.period:%Y-%m}"

    def entries(self) -> list[dict]:
        """The fields an institution fills, each with its value and, for a figure the platform
        counted, that count and the reason given where the value differs from it."""
        from anjian.action_plans.figures import institution_fields

        out = []
        for item in institution_fields(self.definition):
            name = item["name"]
            out.append(
                {
                    "label": item["label"],
                    "value": self.values.get(name),
                    "counted": self.counted.get(name),
                    "reason": self.reasons.get(name, ""),
                    "corrected": name in self.counted and self.values.get(name) not in (None, self.counted.get(name)),
                }
            )
        return out
