"""持证上岗: certificate kinds (the platform's reference data, editable), each person's certificates
with the scan, the posts that require a kind, and the fire-control room (消控室) duty roster whose
shifts must each have enough certified operators on duty."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import ScopedManager

USER = settings.AUTH_USER_MODEL


class CertificateKind(models.Model):
    """A kind of certificate (消防设施操作员, 特种设备作业, 电工 …): shared by every institution."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("证书类别"), max_length=60, unique=True)
    issuer_hint = models.CharField(_("常见发证机关"), max_length=100, blank=True)
    # the kind the fire-control room's operators must hold (消控室持证值班)
    fire_control_room = models.BooleanField(_("消控室值班须持此证"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("证书类别")
        verbose_name_plural = _("证书类别")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    """One person's certificate. Never deleted: a wrong or replaced one is voided with a reason."""

    scope_field = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="+"
    )
    holder = models.ForeignKey(USER, verbose_name=_("持证人"), on_delete=models.PROTECT, related_name="certificates")
    kind = models.ForeignKey(CertificateKind, verbose_name=_("证书类别"), on_delete=models.PROTECT)
    number = models.CharField(_("证书编号"), max_length=60)
    issuer = models.CharField(_("发证机关"), max_length=100, blank=True)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"), db_index=True)
    scan = models.FileField(_("证书扫描件"), upload_to="certificates/%Y/%m/", blank=True)
    scan_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["expires_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number"],
                condition=models.Q(is_active=True),
                name="certificate_unique_number",
                violation_error_message=_("该类别下已有相同编号的有效证书。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind.name} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("training:certificate-detail", args=[self.pk])

    def clean(self) -> None:
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": _("有效期至不能早于发证日期。")})
        if self.holder_id and self.organization_id and self.holder.organization_id != self.organization_id:
            raise ValidationError({"holder": _("持证人须是本单位人员。")})

    def valid_on(self, day: dt.date) -> bool:
        return self.is_active and self.issued_on <= day <= self.expires_on


class PostCertificateRequirement(models.Model):
    """A post whose holders must have a certificate of ``kind`` (持证上岗)."""

    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey("orgs.Post", verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(CertificateKind, verbose_name=_("须持证书"), on_delete=models.PROTECT)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("岗位持证要求")
        verbose_name_plural = _("岗位持证要求")
        constraints = [models.UniqueConstraint(fields=["post", "kind"], name="post_certificate_unique")]

    def __str__(self) -> str:
        return f"{self.post} · {self.kind}"


class DutyShift(models.Model):
    """One shift of the fire-control room on one day (白班/夜班) and the people on duty."""

    scope_field = "organization"

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("日期"), db_index=True)
    name = models.CharField(_("班次"), max_length=20)
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    people = models.ManyToManyField(USER, verbose_name=_("值班人员"), related_name="+", blank=True)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("消控室值班班次")
        verbose_name_plural = _("消控室值班班次")
        ordering = ["day", "starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "day", "name"],
                name="duty_shift_unique",
                violation_error_message=_("这一天已有同名班次。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"
