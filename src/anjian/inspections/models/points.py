"""Inspection points (巡检点): named places with a QR label."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import ScopedManager


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
