"""Checklists (检查表) in versions: a template, its sections and its items. A published version never
changes; a new version is a copy; records keep the version they used."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import NOTHING, ScopedQuerySet, scope_q
from anjian.inspections.choices import TemplateStatus

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
