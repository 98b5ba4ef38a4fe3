from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.core.forms import FilterForm, ServiceModelForm, StyledForm, active_field, search_field
from anjian.core.roles import Role
from anjian.orgs.models import Department, Organization


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续多次失败后账号将被暂时锁定。"),
        "inactive": _("该账号已停用，请联系本单位安全管理员。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"class": "form-control", "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"class": "form-control", "autocomplete": "current-password"})


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(
        label=_("原密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少8位，包含小写字母、大写字母、数字、符号中的至少3种，不能与用户名相同或相似，不能是常见密码。"),
    )
    new_password2 = forms.CharField(
        label=_("确认新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data


# --- the people pages -------------------------------------------------------------------------------

PASSWORD_HELP = _("至少8位，不能全为数字，不能与用户名或姓名过于相似，不能是常见密码。")


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * max(obj.depth - 1, 0)}{obj.name}"


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} / {obj.name}" if obj.parent_id else obj.name


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.department.name} · {obj.name}"


def _pk(value) -> int | None:
    value = getattr(value, "pk", value)
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class UserFilterForm(FilterForm):
    q = search_field(_("姓名、拼音首字母、用户名或手机号"))
    organization = OrganizationChoiceField(label=_("所属单位"), required=False, queryset=Organization.objects.none())
    department = DepartmentChoiceField(label=_("科室"), required=False, queryset=Department.objects.none())
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部角色")), *Role.choices])
    active = active_field()
    refresh_fields = ("department",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from anjian.accounts import selectors
        from anjian.orgs import selectors as org_selectors

        orgs = selectors.organization_choices(user=self.user)
        organization = self.fields["organization"]
        organization.queryset = orgs
        organization.empty_label = _("全部单位")
        # The department filter follows the organization picked (or the user's own institution).
        chosen = orgs.filter(pk=_pk(self.data.get("organization"))).first() if self.data.get("organization") else None
        own = getattr(self.user, "organization", None)
        if chosen is None and own is not None and own.is_institution:
            chosen = own
            del self.fields["organization"]  # an institution's user sees only their own
        department = self.fields["department"]
        department.empty_label = _("全部科室")
        if chosen is not None and chosen.is_institution:
            department.queryset = org_selectors.department_choices(user=self.user, organization=chosen)
        else:
            department.widget.attrs.update(disabled=True, title=_("请先选择单位"))


class UserForm(ServiceModelForm):
    """A person and their account. The organization decides the departments, posts and roles on
    offer (``refresh_on_change`` re-renders that group when it changes); with ``with_password`` the
    initial password is asked for too (creating)."""

    fieldsets = [
        (_("账号"), ["username", "name", "password", "password2"]),
        (_("单位与岗位"), ["organization", "department", "post", "role", "job_title"], "user-org-fields"),
        (_("联系方式"), ["phone", "email"]),
    ]

    password = forms.CharField(
        label=_("初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )
    password2 = forms.CharField(
        label=_("确认密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    class Meta:
        model = User
        fields = ["username", "name", "organization", "department", "post", "role", "job_title", "phone", "email"]
        field_classes = {
            "organization": OrganizationChoiceField,
            "department": DepartmentChoiceField,
            "post": PostChoiceField,
        }
        help_texts = {
            "username": _("登录用，可用字母、数字和 @ . + - _，不区分大小写。"),
            "post": _("一线员工请选择岗位，岗位决定其“两单两卡”。"),
        }
        widgets = {
            "username": forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, with_password: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        from anjian.accounts import selectors
        from anjian.orgs import selectors as org_selectors

        if not with_password:
            del self.fields["password"], self.fields["password2"]
        instance = self.instance if self.instance.pk else None
        self.fields["username"].error_messages["required"] = _("请填写用户名。")
        self.fields["name"].error_messages["required"] = _("请填写姓名。")

        orgs = selectors.organization_choices(user=self.user, keep=getattr(instance, "organization_id", None))
        organization = self.fields["organization"]
        organization.queryset = orgs
        organization.empty_label = _("请选择所属单位")
        organization.required = getattr(self.user, "role", None) != Role.SYSTEM_ADMIN
        organization.error_messages["required"] = _("请选择所属单位。")
        if not self.is_bound and instance is None and not self.initial.get("organization"):
            own = getattr(self.user, "organization", None)
            if own is not None and not own.is_regulator:
                self.initial["organization"] = own.pk
        if len(orgs) == 1:
            organization.disabled = True  # the only choice: the user's own organization
            self.initial.setdefault("organization", orgs[0].pk)

        org = self._chosen(orgs, "organization")
        department, post = self.fields["department"], self.fields["post"]
        department.empty_label = _("（不属于科室）")
        post.empty_label = _("（无岗位）")
        if org is not None and org.is_institution:
            department.queryset = org_selectors.department_choices(
                user=self.user, organization=org, keep=getattr(instance, "department_id", None)
            )
            dept = self._chosen(department.queryset, "department")
            post.queryset = org_selectors.post_choices(
                user=self.user, organization=org, department=dept, keep=getattr(instance, "post_id", None)
            )
        else:
            del self.fields["department"], self.fields["post"]

        role = self.fields["role"]
        roles = selectors.assignable_roles(by=self.user, organization=org)
        if (
            instance is not None
            and instance.role not in roles
            and org is not None
            and org.pk == instance.organization_id
        ):
            roles.append(Role(instance.role))  # keep showing the role the person holds
        role.choices = [("", _("请选择角色"))] + [(r.value, r.label) for r in roles]
        role.error_messages["required"] = _("请选择角色。")
        if not self.is_bound and instance is None and Role.STAFF in roles and not self.initial.get("role"):
            self.initial["role"] = Role.STAFF
        if org is None:
            role.help_text = _("请先选择所属单位，再选择该单位可用的角色。")

    def _chosen(self, queryset, name):
        """The object picked for ``name``: from the input when bound, else the initial value."""
        if self.fields.get(name) is not None and self.fields[name].disabled:
            value = self.initial.get(name)
        elif self.is_bound:
            value = self.data.get(self.add_prefix(name))
        else:
            value = self.initial.get(name, getattr(self.instance, f"{name}_id", None))
        pk = _pk(value)
        return queryset.filter(pk=pk).first() if pk else None

    def clean_username(self):
        return self.cleaned_data["username"].strip()

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean(self):
        data = super().clean()
        if "password2" in self.fields and data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("password", None)
        data.pop("password2", None)
        data["organization"] = self.cleaned_data.get("organization")  # also when the only choice (disabled)
        if "department" not in self.fields:  # a regulator or provider has no departments or posts
            data.update(department=None, post=None)
        return data


class UserPasswordResetForm(StyledForm):
    password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )
    password2 = forms.CharField(
        label=_("确认新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data
