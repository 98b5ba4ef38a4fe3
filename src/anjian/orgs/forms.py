"""Forms of the organization, department and post pages: they bind input; the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import FilterForm, ServiceModelForm, StyledForm, active_field, date_input, search_field
from anjian.core.roles import Role
from anjian.orgs import selectors
from anjian.orgs.choices import InstitutionKind, OrganizationType
from anjian.orgs.models import Department, Engagement, Organization, Post
from anjian.orgs.validators import validate_credit_code, validate_division_code

# Fields that only mean something for one type of organization.
REGULATOR_ONLY = ("regulator_level",)
INSTITUTION_ONLY = ("kind", "hospital_grade", "is_specialty", "require_after_photo")


def _with_all(label, choices) -> list:
    return [("", label), *choices]


class OrganizationFilterForm(FilterForm):
    q = search_field(_("名称、拼音首字母（如 rmyy）或信用代码"))
    type = forms.ChoiceField(
        label=_("类型"), required=False, choices=_with_all(_("全部类型"), OrganizationType.choices)
    )
    kind = forms.ChoiceField(
        label=_("机构类别"), required=False, choices=_with_all(_("全部类别"), InstitutionKind.choices)
    )
    flag = forms.ChoiceField(label=_("重点标识"), required=False)
    active = active_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flag"].choices = _with_all(
            _("全部标识"), [(f, Organization._meta.get_field(f).verbose_name) for f in selectors.ORGANIZATION_FLAGS]
        )


class RegulatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * obj.depth}{obj.name}"


class OrganizationForm(ServiceModelForm):
    """The profile of an organization. ``own=True``: a user editing their own organization, who may
    change neither its type nor where it sits in the tree (those fields are left out)."""

    fieldsets = [
        (_("基本信息"), ["type", "name", "short_name", "parent", "regulator_level"]),
        (_("机构属性"), ["kind", "hospital_grade", "ownership", "is_specialty"]),
        (_("重点标识"), ["is_fire_key_unit", "is_fire_high_risk", "is_elderly_care"]),
        (_("登记信息"), ["credit_code", "division_code", "address"]),
        (_("负责人与联系方式"), ["legal_representative", "contact_person", "contact_phone"]),
        (_("规模"), ["bed_count", "staff_count"]),
        (_("隐患整改"), ["require_after_photo"]),
    ]
    wide_fields = ("address",)

    class Meta:
        model = Organization
        fields = [
            "type",
            "name",
            "short_name",
            "parent",
            "regulator_level",
            "kind",
            "hospital_grade",
            "is_specialty",
            "ownership",
            "is_fire_key_unit",
            "is_fire_high_risk",
            "is_elderly_care",
            "credit_code",
            "division_code",
            "address",
            "legal_representative",
            "contact_person",
            "contact_phone",
            "bed_count",
            "staff_count",
            "require_after_photo",
        ]
        field_classes = {"parent": RegulatorChoiceField}
        help_texts = {
            "credit_code": _("18位，末位为校验码，如 12500112MB0000001X。"),
            "division_code": _("6位数字，如 500112。"),
            "short_name": _("用于列表和标题中的简短显示。"),
        }
        widgets = {
            "credit_code": forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
            "division_code": forms.TextInput(attrs={"inputmode": "numeric"}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "bed_count": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "staff_count": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance if self.instance.pk else None
        if own:
            del self.fields["type"], self.fields["parent"]
        else:
            parent = self.fields["parent"]
            parent.queryset = selectors.regulator_choices(user=self.user, exclude=instance)
            parent.empty_label = _("请选择上级监管部门")
            if getattr(self.user, "role", None) != Role.SYSTEM_ADMIN:
                parent.required = True
                parent.error_messages["required"] = _("须选择上级监管部门。")
            self.fields["type"].error_messages["required"] = _("请选择机构类型。")
        self.fields["name"].error_messages["required"] = _("请填写机构名称。")
        # The model's own validators, so every format error shows at once (the service runs them again).
        self.fields["credit_code"].validators.append(validate_credit_code)
        self.fields["division_code"].validators.append(validate_division_code)
        for name in self.irrelevant_fields():
            del self.fields[name]
        if "kind" in self.fields:
            self.fields["kind"].required = True
            self.fields["kind"].error_messages["required"] = _("医疗卫生机构须选择机构类别。")
        if "regulator_level" in self.fields:
            self.fields["regulator_level"].required = True
            self.fields["regulator_level"].error_messages["required"] = _("监管部门须填写监管层级。")

    def current_type(self) -> str:
        """The type the form is about: the input's, else the instance's, else an institution."""
        if "type" not in self.fields:
            return self.instance.type
        source = self.data if self.is_bound else self.initial
        value = source.get("type") or self.instance.type or OrganizationType.INSTITUTION
        return value if value in OrganizationType.values else OrganizationType.INSTITUTION

    def irrelevant_fields(self) -> list[str]:
        kind = self.current_type()
        fields = [] if kind == OrganizationType.REGULATOR else list(REGULATOR_ONLY)
        if kind != OrganizationType.INSTITUTION:
            fields += INSTITUTION_ONLY
        return [f for f in fields if f in self.fields]

    def get_initial_for_field(self, field, field_name):
        if field_name == "type" and not self.instance.pk and not self.initial.get("type"):
            return OrganizationType.INSTITUTION
        return super().get_initial_for_field(field, field_name)

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()

    def clean_division_code(self):
        return (self.cleaned_data.get("division_code") or "").strip()

    def service_data(self) -> dict:
        data = super().service_data()
        kind = self.current_type()
        # The inputs of another type are not on the page: clear what they held.
        if kind != OrganizationType.REGULATOR:
            data["regulator_level"] = ""
        if kind != OrganizationType.INSTITUTION:
            data.update(kind="", hospital_grade="", is_specialty=False)
        return data


class InstitutionFilterForm(FilterForm):
    """Pick the institution whose departments to manage (a regulator's first step)."""

    q = search_field(_("机构名称或拼音首字母"))


class DepartmentTreeFilterForm(FilterForm):
    q = search_field(_("科室或岗位名称、拼音首字母"))
    show_inactive = forms.BooleanField(label=_("含已停用"), required=False)
    organization = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} / {obj.name}" if obj.parent_id else obj.name


class DepartmentForm(ServiceModelForm):
    class Meta:
        model = Department
        fields = ["name", "parent", "code", "location", "phone"]
        field_classes = {"parent": DepartmentChoiceField}
        labels = {"parent": _("上级科室")}
        help_texts = {
            "parent": _("不选则为一级科室。"),
            "location": _("如：门诊楼3楼东侧。"),
        }
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance if self.instance.pk else None
        parent = self.fields["parent"]
        parent.queryset = selectors.department_choices(
            user=self.user, organization=organization, exclude=instance, keep=getattr(instance, "parent_id", None)
        )
        parent.empty_label = _("（无，一级科室）")
        self.fields["name"].error_messages["required"] = _("请填写科室名称。")

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class PostDepartmentChoiceField(DepartmentChoiceField):
    pass


class PostForm(ServiceModelForm):
    wide_fields = ("name", "department", "description")

    class Meta:
        model = Post
        fields = ["name", "department", "is_front_line", "requires_certificate", "description"]
        field_classes = {"department": PostDepartmentChoiceField}
        help_texts = {
            "requires_certificate": _("如电工、压力容器操作员、消防控制室值班员等特种作业岗位。"),
        }

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        department.queryset = selectors.department_choices(
            user=self.user, organization=organization, keep=self.instance.department_id if self.instance.pk else None
        )
        department.empty_label = _("请选择科室")
        department.error_messages["required"] = _("请选择岗位所属科室。")
        self.fields["name"].error_messages["required"] = _("请填写岗位名称。")

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class EngagementForm(ServiceModelForm):
    """委托检查员: who, which institutions (or the whole jurisdiction), what for, from when to when."""

    institutions = forms.ModelMultipleChoiceField(
        label=_("委托检查的机构"),
        required=False,
        queryset=Organization.objects.none(),
        help_text=_("可多选；选择“辖区内全部机构”时不必选择。"),
    )

    class Meta:
        model = Engagement
        fields = ["inspector", "whole_jurisdiction", "purpose", "starts_on", "ends_on"]
        widgets = {
            "starts_on": date_input(),
            "ends_on": date_input(),
        }

    def __init__(self, *args, editing: bool = False, **kwargs):
        User = get_user_model()  # accounts is above orgs (docs/architecture.md)

        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = (
            User.objects.visible_to(self.user)
            .filter(role=Role.INSPECTOR, is_active=True)
            .select_related("organization")
        )
        self.fields["inspector"].label_from_instance = lambda u: f"{u.name}（{u.organization.name}）"
        self.fields["institutions"].queryset = Organization.objects.visible_to(self.user).filter(
            type=OrganizationType.INSTITUTION, is_active=True
        )
        if editing:
            self.fields["inspector"].disabled = True
        self.order_fields(["inspector", "purpose", "whole_jurisdiction", "institutions", "starts_on", "ends_on"])


class EngagementEndForm(StyledForm):
    note = forms.CharField(label=_("结束原因"), max_length=200, required=False)
