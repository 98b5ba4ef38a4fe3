"""The roles a user can hold. One role per user; what each may do is in ``permissions.MATRIX``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGULATOR_ADMIN = "regulator_admin", _("监管管理员")
    REGULATOR_STAFF = "regulator_staff", _("监管人员")
    PRINCIPAL = "principal", _("主要负责人")
    DEPUTY = "deputy", _("分管负责人")
    SAFETY_OFFICER = "safety_officer", _("安全管理员")
    DEPARTMENT_HEAD = "department_head", _("科室负责人")
    STAFF = "staff", _("一线员工")
    INSPECTOR = "inspector", _("检查员（第三方/专家）")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")


REGULATOR_ROLES = frozenset({Role.REGULATOR_ADMIN, Role.REGULATOR_STAFF})
INSTITUTION_ROLES = frozenset({Role.PRINCIPAL, Role.DEPUTY, Role.SAFETY_OFFICER, Role.DEPARTMENT_HEAD, Role.STAFF})
INSTITUTION_LEADERS = frozenset({Role.PRINCIPAL, Role.DEPUTY, Role.SAFETY_OFFICER})
INSPECTOR_ROLES = frozenset({Role.INSPECTOR})
