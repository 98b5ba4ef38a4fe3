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

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError("audit events are written one by one by anjian.core.audit.record (hash chain)")


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
    # The hash chain (anjian.core.integrity): the previous event's hash, and the SHA-256 of this
    # event's content with it. Written by audit.record only; "" in the database's default, so a row
    # inserted behind the application's back is there, unchained, for the verification to name.
    prev_hash = models.CharField(_("前一条校验值"), max_length=64, blank=True, db_default="")
    hash = models.CharField(_("校验值"), max_length=64, blank=True, db_default="")

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
        if not isinstance(self.hash, str) or not self.hash:  # unset, it holds the database's default
            raise AppendOnlyError("audit events are written by anjian.core.audit.record, which chains them")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


class AuditChainCheck(models.Model):
    """One verification of the audit events' hash chain: when, started how and by whom, and what
    it found. The newest one's head is what the next verification expects to find unchanged."""

    class Source(models.TextChoices):
        COMMAND = "command", _("定时校验（命令）")
        PAGE = "page", _("管理员手动校验")

    at = models.DateTimeField(_("校验时间"), default=timezone.now, db_index=True)
    source = models.CharField(_("方式"), max_length=16, choices=Source.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("校验人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ok = models.BooleanField(_("完整"))
    events = models.PositiveBigIntegerField(_("记录数"))
    first_id = models.BigIntegerField(null=True, blank=True)
    head_id = models.BigIntegerField(null=True, blank=True)
    head_hash = models.CharField(max_length=64, blank=True)
    problem_event_id = models.BigIntegerField(_("首个问题记录"), null=True, blank=True)
    problem_kind = models.CharField(max_length=32, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # the first few: event_id, at, kind, message
    seconds = models.FloatField(_("用时（秒）"), default=0)

    class Meta:
        verbose_name = _("操作记录校验")
        verbose_name_plural = _("操作记录校验")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'OK' if self.ok else 'BROKEN'} {self.events}"


class AuditArchive(models.Model):
    """The oldest audit events exported to a file (``manage.py audit_archive``): events ``first_id``
    to ``through_id``. ``head_hash`` (the hash of event ``through_id``) is the anchor the first event
    left in the table links to once the migration role has pruned the exported ones."""

    created_at = models.DateTimeField(_("归档时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    before = models.DateField(_("归档截止日期"))
    first_id = models.BigIntegerField()
    through_id = models.BigIntegerField(unique=True)
    through_at = models.DateTimeField()
    events = models.PositiveBigIntegerField(_("记录数"))
    first_prev_hash = models.CharField(max_length=64, blank=True)
    head_hash = models.CharField(max_length=64, db_index=True)
    file_name = models.CharField(_("归档文件"), max_length=255)
    file_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("操作记录归档")
        verbose_name_plural = _("操作记录归档")
        ordering = ["-through_id"]

    def __str__(self) -> str:
        return f"#{self.first_id}–#{self.through_id} {self.file_name}"


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


class IdempotencyKey(models.Model):
    """The answer to a creating request sent with an idempotency key (the API's ``Idempotency-Key``
    header, a phone form's hidden ``idempotency_key``): the same user sending the same key again
    within 24 hours gets this answer back instead of a second write (``anjian.core.idempotency``).

    ``status`` is empty while the first request is being processed; the answer is written in the
    same transaction as the request's own writes, so a write that committed always has its answer.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("幂等键"), max_length=128)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    body_hash = models.CharField(max_length=64)  # sha256 of the query string, the fields and the files
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=2000, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    locked_at = models.DateTimeField(default=timezone.now)  # when the request processing it began

    class Meta:
        verbose_name = _("幂等请求记录")
        verbose_name_plural = _("幂等请求记录")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key} {self.method} {self.path} → {self.status}"
