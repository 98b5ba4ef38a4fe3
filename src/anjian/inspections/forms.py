"""Forms of the inspection pages: they bind input; the rules live in inspections.services."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.core.forms import FilterForm, ServiceModelForm, StyledForm, search_field
from anjian.core.roles import INSTITUTION_ROLES, Role
from anjian.hazards.forms import DATE, ImagesField, institutions_for
from anjian.hazards.models import Criterion, HazardCategory
from anjian.inspections.choices import InstitutionFlag, TemplateStatus
from anjian.inspections.models import (
    ITEM_FIELDS,
    ChecklistItem,
    ChecklistTemplate,
    InspectionPoint,
    Interview,
    RhythmDefault,
    Schedule,
    SupervisionInspection,
)
from anjian.orgs.choices import InstitutionKind, OrganizationType
from anjian.orgs.models import Department, Organization, Post

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class Checks(forms.CheckboxSelectMultiple):
    """Checkboxes as Tabler's inline form-checks, readable and tappable on a phone."""

    template_name = "inspections/widgets/choices.html"
    option_template_name = "inspections/widgets/choice_option.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("class", None)
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                option["attrs"].pop("class", None)
        return context


class TemplateFilterForm(FilterForm):
    q = search_field(_("检查表名称或适用场所"))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *TemplateStatus.choices])


class TemplateForm(ServiceModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["name", "applies_to", "category", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = HazardCategory.objects.filter(is_active=True)


class ItemForm(ServiceModelForm):
    section = forms.CharField(
        label=_("分区"), max_length=100, help_text=_("已有分区的名称，或新分区的名称（如“安全疏散”）")
    )
    field_order = ["section", "text", "fail_text"]

    class Meta:
        model = ChecklistItem
        fields = ["text", "fail_text", "category", "basis", "guidance", "photo_required_on_fail", "suggests_major"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = HazardCategory.objects.filter(is_active=True)


class ItemEditForm(ItemForm):
    """An item of a draft, changed in place (it stays in its section)."""

    section = None

    class Meta(ItemForm.Meta):
        fields = ITEM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = Criterion.objects.filter(is_active=True).select_related("criterion_set")


class PointForm(ServiceModelForm):
    class Meta:
        model = InspectionPoint
        fields = ["name", "location", "department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.visible_to(self.user).filter(
            organization_id=getattr(self.user, "organization_id", None), is_active=True
        )


class ScheduleForm(ServiceModelForm):
    points = forms.ModelMultipleChoiceField(
        label=_("巡检点"), required=False, queryset=InspectionPoint.objects.none(), widget=Checks()
    )
    fieldsets = [
        (_("检查什么"), ["name", "template"]),
        (_("由谁检查（三选一）"), ["assignee", "post", "role", "department"]),
        (_("在哪里、多久一次"), ["points", "rhythm", "every_hours", "day_start", "day_end", "starts_on", "ends_on"]),
    ]

    class Meta:
        model = Schedule
        fields = [
            "name",
            "template",
            "assignee",
            "post",
            "role",
            "department",
            "rhythm",
            "every_hours",
            "day_start",
            "day_end",
            "starts_on",
            "ends_on",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "day_start": TIME, "day_end": TIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        org_id = getattr(user, "organization_id", None)
        self.fields["template"].queryset = ChecklistTemplate.objects.visible_to(user).filter(
            status=TemplateStatus.PUBLISHED
        )
        self.fields["assignee"].queryset = User.objects.visible_to(user).filter(organization_id=org_id, is_active=True)
        self.fields["post"].queryset = Post.objects.visible_to(user).filter(organization_id=org_id, is_active=True)
        self.fields["department"].queryset = Department.objects.visible_to(user).filter(
            organization_id=org_id, is_active=True
        )
        self.fields["role"].choices = [("", _("不按角色"))] + [
            (r.value, r.label) for r in Role if r in INSTITUTION_ROLES
        ]
        self.fields["points"].queryset = InspectionPoint.objects.visible_to(user).filter(
            organization_id=org_id, is_active=True
        )
        self.fields["department"].help_text = _("按角色指定时，可限定为某科室的该角色人员。")


class RhythmForm(ServiceModelForm):
    class Meta:
        model = RhythmDefault
        fields = ["name", "role", "rhythm", "every_hours", "day_start", "day_end", "template_code", "is_active"]
        widgets = {"day_start": TIME, "day_end": TIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in INSTITUTION_ROLES]
        shared = (
            ChecklistTemplate.objects.filter(status=TemplateStatus.PUBLISHED)
            .filter(Q(owner__isnull=True) | Q(owner__type=OrganizationType.REGULATOR))
            .exclude(code="")
            .order_by("owner_id", "name")
        )
        codes: dict[str, str] = {}
        for t in shared:
            codes.setdefault(t.code, f"{t.name}（{t.code}）")
        self.fields["template_code"] = forms.ChoiceField(
            label=_("检查表"),
            choices=list(codes.items()),
            help_text=_("平台通用或监管部门的已发布检查表，按编码对应"),
        )
        self.fields["template_code"].widget.attrs["class"] = "form-select"


class RhythmCreateForm(RhythmForm):
    class Meta(RhythmForm.Meta):
        fields = ["name", "kind", "flag", *RhythmForm.Meta.fields[1:]]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("不限")), *InstitutionKind.choices]
        self.fields["flag"].choices = InstitutionFlag.choices


class SupervisionForm(ServiceModelForm):
    institution = forms.ModelChoiceField(label=_("被检查机构"), queryset=Organization.objects.none())
    inspectors = forms.ModelMultipleChoiceField(
        label=_("受委托检查员"),
        required=False,
        queryset=Organization.objects.none(),
        help_text=_("本单位委托的、委托期内的检查员；加入检查组后可填写检查表、登记发现的问题。"),
    )

    class Meta:
        model = SupervisionInspection
        fields = ["date", "subject", "leader", "team", "summary"]
        widgets = {"date": DATE}

    def __init__(self, *args, **kwargs):
        from anjian.accounts.models import User
        from anjian.orgs.models import Engagement

        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions_for(self.user)
        org_id = getattr(self.user, "organization_id", None)
        engaged = Engagement.objects.active_on(timezone.localdate()).filter(regulator_id=org_id)
        self.fields["inspectors"].queryset = User.objects.visible_to(self.user).filter(
            pk__in=engaged.values("inspector_id"), is_active=True
        )
        self.order_fields(["institution", "date", "subject", "leader", "team", "inspectors", "summary"])


class FindingForm(StyledForm):
    title = forms.CharField(label=_("问题"), max_length=200)
    location = forms.CharField(label=_("部位"), max_length=200)
    category = forms.ModelChoiceField(label=_("类别"), queryset=HazardCategory.objects.filter(is_active=True))
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea)
    photos = ImagesField(label=_("照片"), required=False)


class InterviewForm(ServiceModelForm):
    institution = forms.ModelChoiceField(label=_("被约谈机构"), queryset=Organization.objects.none())

    class Meta:
        model = Interview
        fields = ["date", "reason", "attendees", "place", "outcome", "is_warning"]
        widgets = {"date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions_for(self.user)
        self.order_fields(["institution", "date", "reason", "attendees", "place", "outcome", "is_warning"])


class RecordFilterForm(FilterForm):
    q = search_field(_("记录编号、检查表或巡检点"))
    organization = forms.ModelChoiceField(
        label=_("机构"), required=False, queryset=Organization.objects.none(), empty_label=_("全部机构")
    )
    failed = forms.BooleanField(label=_("仅看有不合格项的"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None and user.organization is not None and user.organization.is_institution:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = institutions_for(user)


class ComplianceForm(StyledForm):
    period = forms.CharField(
        label=_("期间"),
        max_length=10,
        help_text=_("2026-05、2026-Q2、2026-H1 或 2026"),
        widget=forms.TextInput(attrs={"placeholder": "2026-05"}),
    )
    organization = forms.ModelChoiceField(
        label=_("范围"), required=False, queryset=Organization.objects.none(), empty_label=_("全部（我的管辖范围）")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(user).filter(is_active=True)


class ScheduleEditForm(ScheduleForm):
    """Editing adds 启用: a schedule no longer needed is switched off, never deleted."""

    fieldsets = [*ScheduleForm.fieldsets[:-1], (_("在哪里、多久一次"), [*ScheduleForm.fieldsets[-1][1], "is_active"])]

    class Meta(ScheduleForm.Meta):
        fields = [*ScheduleForm.Meta.fields, "is_active"]
