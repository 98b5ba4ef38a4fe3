"""The regulator's side: supervision inspections (督导检查), the problems they found, interviews (约谈)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.roles import Role
from anjian.core.scoping import ScopedManager, ScopedQuerySet

USER = settings.AUTH_USER_MODEL


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
