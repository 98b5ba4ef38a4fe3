"""Schedules (排查计划) and the default rhythms they are made from; the rules of a rhythm (its label,
its day window) that both share."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.roles import INSTITUTION_ROLES, Role
from anjian.core.scoping import ScopedManager
from anjian.inspections.choices import InstitutionFlag, Rhythm
from anjian.inspections.models.checklists import ChecklistTemplate
from anjian.inspections.models.points import InspectionPoint
from anjian.orgs.choices import InstitutionKind

USER = settings.AUTH_USER_MODEL


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
