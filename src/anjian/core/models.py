"""What every app shares: the append-only audit event."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.audit import AuditVerb
from anjian.core.scoping import ScopedQuerySet


def audit_verb_choices():
    """The verbs, read when needed: migrations store this callable, not the list, so a new verb
    in any app needs no migration of ``core``."""
    return AuditVerb.choices


class AppendOnlyError(Exception):
    """An audit event was about to be changed or deleted."""


class AuditEventQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(models.Model):
    """One thing that happened: who, when, what, to which object, before and after."""

    scope_field = "organization"

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_repr = models.CharField(_("操作人"), max_length=200)
    verb = models.CharField(_("操作"), max_length=64, choices=audit_verb_choices, db_index=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.get_verb_display()} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


class Sequence(models.Model):
    """A named counter for human-readable numbers (YH-2026-000123); incremented under a row lock."""

    name = models.CharField(max_length=64, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class WorkCalendarYear(models.Model):
    """A year's official holiday schedule (国务院办公厅关于部分节假日安排的通知) as an administrator
    entered it: the days off and the make-up working days (调休上班). It overrides the holiday
    package for that year; see ``anjian.core.workdays``. Edited in place, every change audited
    with the lists before and after."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    holidays = models.JSONField(_("放假日期"), default=list)  # [{"day": "2027-01-01", "name": "元旦"}]
    workdays = models.JSONField(_("调休上班日期"), default=list)  # [{"day": "2027-02-20", "name": "春节调休"}]
    source = models.CharField(_("依据"), max_length=200, blank=True)  # the notice's title and number
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("%(year)s年节假日安排") % {"year": self.year}
