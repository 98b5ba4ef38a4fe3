"""People: one organization each, optionally a department and a post, and one role."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.roles import INSPECTOR_ROLES, INSTITUTION_ROLES, REGULATOR_ROLES, Role
from anjian.core.scoping import ScopedQuerySet
from anjian.orgs.choices import OrganizationType


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


ROLES_BY_ORGANIZATION_TYPE = {
    OrganizationType.REGULATOR: REGULATOR_ROLES | {Role.SYSTEM_ADMIN},
    OrganizationType.INSTITUTION: INSTITUTION_ROLES,
    OrganizationType.PROVIDER: INSPECTOR_ROLES,
    OrganizationType.EXPERT_POOL: INSPECTOR_ROLES,
}


class User(AbstractUser):
    scope_field = "organization"

    # Chinese names are not split into first and last: one "name" field.
    first_name = None
    last_name = None
    name = models.CharField(_("姓名"), max_length=50)
    name_initials = models.CharField(_("拼音首字母"), max_length=50, blank=True, db_index=True, editable=False)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("科室"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    post = models.ForeignKey(
        "orgs.Post", verbose_name=_("岗位"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.STAFF)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    job_title = models.CharField(_("职务"), max_length=50, blank=True)
    deactivated_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    # set when someone else set the password (an account created, a reset, an import): the person
    # changes it at their next sign-in before anything else (等保 2.0: 初始口令须修改)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    objects = ScopedUserManager()

    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["organization_id", "username"]

    def __str__(self) -> str:
        return f"{self.name}（{self.username}）" if self.name else self.username

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    @property
    def is_regulator(self) -> bool:
        return self.role in REGULATOR_ROLES

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        org = self.organization
        if org is None:
            if self.role != Role.SYSTEM_ADMIN:
                errors.setdefault("organization", []).append(_("须选择所属单位。"))
        elif self.role not in ROLES_BY_ORGANIZATION_TYPE[org.type]:
            errors.setdefault("role", []).append(
                _("“%(role)s”不能属于%(type)s。") % {"role": Role(self.role).label, "type": org.get_type_display()}
            )
        if self.department is not None and self.department.organization_id != self.organization_id:
            errors.setdefault("department", []).append(_("科室必须属于所属单位。"))
        if self.post is not None:
            if self.post.organization_id != self.organization_id:
                errors.setdefault("post", []).append(_("岗位必须属于所属单位。"))
            elif self.department is not None and self.post.department_id != self.department_id:
                errors.setdefault("post", []).append(_("岗位必须属于所选科室。"))
        if errors:
            raise ValidationError(errors)
