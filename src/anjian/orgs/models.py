"""Organizations as a tree (regulators above the institutions they supervise), and inside an
institution its departments (a tree) and posts."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import ScopedManager
from anjian.orgs.choices import HospitalGrade, InstitutionKind, OrganizationType, Ownership, RegulatorLevel
from anjian.orgs.validators import validate_credit_code, validate_division_code


class Organization(models.Model):
    """A regulator, an institution it supervises, a third-party service provider or the expert pool."""

    scope_field = ""  # the organization itself

    type = models.CharField(_("类型"), max_length=20, choices=OrganizationType.choices)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=100, blank=True, db_index=True, editable=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # "/1/5/23/": the ids from the root down to this organization; scoping filters by prefix.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    regulator_level = models.CharField(_("监管层级"), max_length=10, choices=RegulatorLevel.choices, blank=True)
    kind = models.CharField(_("机构类别"), max_length=32, choices=InstitutionKind.choices, blank=True)
    hospital_grade = models.CharField(_("医院等级"), max_length=8, choices=HospitalGrade.choices, blank=True)
    is_specialty = models.BooleanField(_("专科医院"), default=False)
    ownership = models.CharField(_("所有制"), max_length=10, choices=Ownership.choices, blank=True)
    is_fire_key_unit = models.BooleanField(_("消防安全重点单位"), default=False)
    is_fire_high_risk = models.BooleanField(_("火灾高危单位"), default=False)
    is_elderly_care = models.BooleanField(_("老年医养护理场所"), default=False)

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_credit_code])
    division_code = models.CharField(_("行政区划代码"), max_length=6, blank=True, validators=[validate_division_code])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法定代表人/主要负责人"), max_length=50, blank=True)
    contact_person = models.CharField(_("安全联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    bed_count = models.PositiveIntegerField(_("床位数"), null=True, blank=True)
    staff_count = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)

    # an institution's own rule for its hazard loop (hazards.services.hazard_submit enforces it)
    require_after_photo = models.BooleanField(
        _("提交整改结果须上传整改后照片"),
        default=True,
        help_text=_("开启后，隐患整改完成提交验收时须至少上传一张整改后照片。"),
    )

    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="org_credit_code_unique",
                violation_error_message=_("该统一社会信用代码已被其他机构使用。"),
            ),
            models.CheckConstraint(condition=Q(type="regulator") | ~Q(parent=None), name="org_only_regulator_is_root"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_regulator(self) -> bool:
        return self.type == OrganizationType.REGULATOR

    @property
    def is_institution(self) -> bool:
        return self.type == OrganizationType.INSTITUTION

    @property
    def flag_labels(self) -> list[str]:
        flags = ("is_fire_key_unit", "is_fire_high_risk", "is_elderly_care")
        return [str(self._meta.get_field(f).verbose_name) for f in flags if getattr(self, f)]

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        if self.type == OrganizationType.REGULATOR:
            if not self.regulator_level:
                errors.setdefault("regulator_level", []).append(_("监管部门须填写监管层级。"))
        elif self.regulator_level:
            errors.setdefault("regulator_level", []).append(_("只有监管部门有监管层级。"))
        if self.type == OrganizationType.INSTITUTION and not self.kind:
            errors.setdefault("kind", []).append(_("医疗卫生机构须选择机构类别。"))
        if self.type != OrganizationType.INSTITUTION:
            for field in ("kind", "hospital_grade"):
                if getattr(self, field):
                    errors.setdefault(field, []).append(_("只有医疗卫生机构填写此项。"))
        if self.parent_id is None and self.type != OrganizationType.REGULATOR:
            errors.setdefault("parent", []).append(_("须选择上级监管部门。"))
        if self.parent is not None:
            if not self.parent.is_regulator:
                errors.setdefault("parent", []).append(_("上级单位必须是监管部门。"))
            elif self.pk and self.parent.path.startswith(self.path or "\0"):
                errors.setdefault("parent", []).append(_("上级单位不能是本单位或其下级单位。"))
        if errors:
            raise ValidationError(errors)


class Department(models.Model):
    """A department (科室) of an institution; departments form a tree."""

    scope_field = "organization"

    organization = models.ForeignKey(
        Organization, verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="departments"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级科室"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(_("科室名称"), max_length=100)
    name_initials = models.CharField(_("拼音首字母"), max_length=100, blank=True, db_index=True, editable=False)
    code = models.CharField(_("科室编码"), max_length=30, blank=True)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("科室")
        verbose_name_plural = _("科室")
        ordering = ["organization_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "parent", "name"],
                name="dept_unique_name_in_parent",
                violation_error_message=_("同一上级科室下已有同名科室。"),
            ),
            models.UniqueConstraint(
                fields=["organization", "name"],
                condition=Q(parent=None),
                name="dept_unique_top_level_name",
                violation_error_message=_("本机构已有同名的一级科室。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent is not None:
            if self.parent.organization_id != self.organization_id:
                raise ValidationError({"parent": _("上级科室必须属于同一机构。")})
            node, seen = self.parent, set()
            while node is not None and node.pk not in seen:
                if self.pk and node.pk == self.pk:
                    raise ValidationError({"parent": _("上级科室不能是本科室或其下级科室。")})
                seen.add(node.pk)
                node = node.parent


class Post(models.Model):
    """A post (岗位) in a department: where front-line staff work and what their cards are for."""

    scope_field = "organization"

    organization = models.ForeignKey(
        Organization, verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="posts"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("所属科室"), on_delete=models.PROTECT, related_name="posts"
    )
    name = models.CharField(_("岗位名称"), max_length=100)
    name_initials = models.CharField(_("拼音首字母"), max_length=100, blank=True, db_index=True, editable=False)
    is_front_line = models.BooleanField(_("一线岗位"), default=True)
    requires_certificate = models.BooleanField(_("需持证上岗"), default=False)
    description = models.TextField(_("岗位说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["department_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"],
                name="post_unique_name_in_department",
                violation_error_message=_("该科室已有同名岗位。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department.name} · {self.name}" if self.department_id else self.name

    def clean(self) -> None:
        if self.department_id and self.organization_id and self.department.organization_id != self.organization_id:
            raise ValidationError({"department": _("科室必须属于同一机构。")})


class EngagementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The regulator's engagements (its jurisdiction's), and an inspector's own."""
        from anjian.core.scoping import scope_q

        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(scope_q(user, "regulator") | Q(inspector_id=user.pk))

    def active_on(self, day):
        """In force on ``day`` (a local date): active, started, not yet past its end."""
        return self.filter(is_active=True, starts_on__lte=day, ends_on__gte=day)


class Engagement(models.Model):
    """委托/聘请: a regulator engages a third-party inspector or expert to inspect institutions of its
    jurisdiction for a period. While it is in force the inspector sees those institutions (scoping);
    what they may do there is still their role's (permissions.MATRIX). Ended, never deleted."""

    scope_field = "regulator"

    regulator = models.ForeignKey(
        Organization, verbose_name=_("委托单位（监管部门）"), on_delete=models.PROTECT, related_name="engagements_made"
    )
    inspector = models.ForeignKey(
        "accounts.User", verbose_name=_("检查员/专家"), on_delete=models.PROTECT, related_name="engagements"
    )
    whole_jurisdiction = models.BooleanField(_("辖区内全部机构"), default=False)
    institutions = models.ManyToManyField(
        Organization, verbose_name=_("委托检查的机构"), blank=True, related_name="engagements"
    )
    purpose = models.CharField(_("委托事项"), max_length=200)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    is_active = models.BooleanField(_("有效"), default=True)
    end_note = models.CharField(_("结束原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("委托检查")
        verbose_name_plural = _("委托检查")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["inspector", "is_active", "ends_on"], name="engagement_inspector_active")]

    def __str__(self) -> str:
        return f"{self.inspector} · {self.purpose}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})


class ProviderEvaluation(models.Model):
    """年度考核: a regulator's yearly evaluation of a third-party service provider (or the expert
    pool) with a score sheet (``orgs.provider_evaluations.SHEET``) and veto items (一票否决). A
    provider vetoed this year or last year is refused new engagements (``engagement_create``).
    Kept, never deleted; a later evaluation of the same year replaces nothing: one per year."""

    scope_field = "regulator"

    regulator = models.ForeignKey(
        Organization,
        verbose_name=_("考核单位（监管部门）"),
        on_delete=models.PROTECT,
        related_name="provider_evaluations_made",
    )
    provider = models.ForeignKey(
        Organization, verbose_name=_("第三方服务机构"), on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("考核年度"))
    scores = models.JSONField(_("评分表"), default=dict, help_text=_("{评分项编码: 得分}"))
    total = models.PositiveSmallIntegerField(_("总分"))
    vetoes = models.JSONField(_("一票否决项"), default=list, blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    note = models.TextField(_("考核意见"), blank=True)
    evaluated_by = models.ForeignKey(
        "accounts.User", verbose_name=_("考核人"), on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(_("考核时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("第三方机构年度考核")
        verbose_name_plural = _("第三方机构年度考核")
        ordering = ["-year", "provider_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["regulator", "provider", "year"],
                name="provider_evaluation_once_a_year",
                violation_error_message=_("该机构本年度已考核。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.year}"
