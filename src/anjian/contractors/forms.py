"""Forms of contractors and work permits: they bind input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.contractors import selectors
from anjian.contractors.choices import PermitStatus
from anjian.contractors.models import Contractor, PermitKind, Worker, WorkPermit
from anjian.core.forms import (
    FilterForm,
    ServiceModelForm,
    StyledForm,
    active_field,
    date_input,
    datetime_input,
    search_field,
)
from anjian.hazards.forms import ImagesField
from anjian.orgs.models import Department
from anjian.risks.models import RiskPoint

DATE = date_input()


# --- contractors ---------------------------------------------------------------------------------
class ContractorFilterForm(FilterForm):
    q = search_field(_("单位名称、服务内容、信用代码"))
    active = active_field()


class ContractorForm(ServiceModelForm):
    class Meta:
        model = Contractor
        fields = ["name", "credit_code", "services", "contact_person", "contact_phone", "insurance_expires_on", "note"]
        widgets = {"insurance_expires_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    wide_fields = ("note",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_code"].validators = []  # the service validates (one message, one place)


class QualificationForm(StyledForm):
    name = forms.CharField(label=_("证书名称"), max_length=100)
    number = forms.CharField(label=_("证书编号"), max_length=60, required=False)
    expires_on = forms.DateField(label=_("有效期至"), widget=DATE)
    file = forms.FileField(label=_("证书扫描件（选填）"), required=False)


class AgreementForm(StyledForm):
    title = forms.CharField(label=_("协议名称"), max_length=100, initial=_("安全生产管理协议"))
    starts_on = forms.DateField(label=_("生效日期"), widget=DATE)
    ends_on = forms.DateField(label=_("到期日期"), widget=DATE)
    institution_signatory = forms.CharField(label=_("本单位签订人"), max_length=40)
    contractor_signatory = forms.CharField(label=_("相关方签订人"), max_length=40)
    file = forms.FileField(label=_("协议文本（PDF、Word、OFD 或照片）"), required=False)


class WorkerForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=40)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=18,
        help_text=_("加密保存，此后只显示脱敏号码"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    work_type = forms.CharField(label=_("工种"), max_length=40, required=False)
    certificate = forms.CharField(label=_("特种作业操作证（类别和编号）"), max_length=100, required=False)
    certificate_expires_on = forms.DateField(label=_("操作证有效期至"), required=False, widget=DATE)
    briefed_on = forms.DateField(label=_("安全教育交底日期"), required=False, widget=DATE)


class WorkerEditForm(StyledForm):
    work_type = forms.CharField(label=_("工种"), max_length=40, required=False)
    certificate = forms.CharField(label=_("特种作业操作证（类别和编号）"), max_length=100, required=False)
    certificate_expires_on = forms.DateField(label=_("操作证有效期至"), required=False, widget=DATE)
    briefed_on = forms.DateField(label=_("安全教育交底日期"), required=False, widget=DATE)
    is_active = forms.BooleanField(label=_("在场"), required=False)


class EvaluationForm(StyledForm):
    job = forms.CharField(label=_("作业/服务内容"), max_length=200)
    score = forms.IntegerField(label=_("评分（0–100，60分合格）"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("评价意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class KindForm(ServiceModelForm):
    class Meta:
        model = PermitKind
        fields = [
            "name",
            "required_checks",
            "gas_test_required",
            "gas_test_valid_minutes",
            "needs_principal",
            "max_hours",
            "is_active",
        ]
        widgets = {"required_checks": forms.Textarea(attrs={"rows": 8})}

    wide_fields = ("required_checks",)


# --- permits -------------------------------------------------------------------------------------
STATUS_FILTER = [("", _("全部状态")), ("live", _("作业中（含暂停）")), *PermitStatus.choices]


class PermitFilterForm(FilterForm):
    q = search_field(_("编号、地点、内容"))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=STATUS_FILTER)
    kind = forms.ChoiceField(label=_("作业类别"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部类别"))] + [(k.code, k.name) for k in selectors.kind_list()]


class PermitForm(ServiceModelForm):
    workers = forms.ModelMultipleChoiceField(
        label=_("相关方作业人员"), queryset=Worker.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WorkPermit
        fields = [
            "kind",
            "contractor",
            "department",
            "location",
            "risk_point",
            "content",
            "planned_start",
            "planned_end",
            "worker_names",
            "hazards_identified",
            "measures",
            "guardian",
        ]
        widgets = {
            "planned_start": datetime_input(),
            "planned_end": datetime_input(),
            "hazards_identified": forms.Textarea(attrs={"rows": 2}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }

    fieldsets = [
        (_("作业"), ["kind", "contractor", "department", "location", "risk_point", "content"]),
        (_("时间和人员"), ["planned_start", "planned_end", "workers", "worker_names", "guardian"]),
        (_("危害辨识和安全措施"), ["hazards_identified", "measures"]),
    ]
    wide_fields = ("hazards_identified", "measures", "workers")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        org = user.organization_id if user else None
        self.fields["kind"].queryset = selectors.kind_list()
        self.fields["contractor"].queryset = Contractor.objects.filter(organization_id=org, is_active=True)
        self.fields["department"].queryset = Department.objects.filter(organization_id=org, is_active=True)
        self.fields["risk_point"].queryset = RiskPoint.objects.filter(organization_id=org, is_active=True)
        self.fields["guardian"].queryset = selectors.guardian_choices(organization=user.organization) if user else None
        self.fields["guardian"].required = True
        self.fields["workers"].queryset = Worker.objects.filter(
            contractor__organization_id=org, contractor__is_active=True, is_active=True
        ).select_related("contractor")
        self.fields["workers"].label_from_instance = lambda w: f"{w.contractor.name}：{w}"
        for name in ("planned_start", "planned_end"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if not self.is_bound and "planned_start" not in self.initial:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial["planned_start"] = now
            self.initial["planned_end"] = now + timezone.timedelta(hours=4)


class CommentForm(StyledForm):
    comment = forms.CharField(label=_("审批意见（选填）"), required=False, max_length=500)


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class EmptyForm(StyledForm):
    pass


class StartForm(StyledForm):
    """One box per safety check of the kind: the guardian confirms each on site."""

    def __init__(self, *args, permit=None, **kwargs):
        super().__init__(*args, **kwargs)
        for i, text in enumerate(permit.kind.checks if permit else []):
            self.fields[f"check_{i}"] = forms.BooleanField(label=text, required=False)

    def checks(self) -> list[int]:
        return [int(name.split("_")[1]) for name, value in self.cleaned_data.items() if value]


class GasTestForm(StyledForm):
    tested_at = forms.DateTimeField(
        label=_("分析时间"), widget=datetime_input(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    oxygen_percent = forms.DecimalField(label=_("氧含量（%）"), max_digits=5, decimal_places=2, initial="20.9")
    combustible_lel_percent = forms.DecimalField(label=_("可燃气体（%LEL）"), max_digits=6, decimal_places=2, initial=0)
    toxic = forms.CharField(label=_("有毒有害气体及读数"), max_length=200, required=False)
    passed = forms.BooleanField(label=_("分析合格"), required=False, initial=True)
    tester_name = forms.CharField(label=_("分析人"), max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("tested_at", timezone.localtime().replace(second=0, microsecond=0))


class CloseForm(StyledForm):
    note = forms.CharField(
        label=_("完工验收意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_("作业完毕，现场已清理，无遗留火种和杂物。"),
    )
    photos = ImagesField(label=_("现场照片（至少一张）"), required=False)


ACTION_FORMS = {
    "submit": EmptyForm,
    "approve": CommentForm,
    "reject": ReasonForm,
    "cancel": ReasonForm,
    "gas-test": GasTestForm,
    "start": StartForm,
    "suspend": ReasonForm,
    "resume": EmptyForm,
    "close": CloseForm,
}
