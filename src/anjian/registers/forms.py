"""The register forms: they bind and check the shape of input; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core import uploads
from anjian.core.forms import (
    FilterForm,
    ServiceModelForm,
    StyledForm,
    active_field,
    date_input,
    search_field,
)
from anjian.hazards.choices import HazardLevel
from anjian.orgs.models import Organization
from anjian.registers.choices import (
    DueState,
    EquipmentGroup,
    FireDuty,
    MovementDirection,
    RecordKind,
    RecordResult,
    Unit,
    WasteCategory,
)
from anjian.registers.models import Chemical, Equipment, EquipmentKind, StoragePlace
from anjian.risks.models import FloorPlan, RiskPoint


def _institutions(user):
    return Organization.objects.visible_to(user).filter(type="institution").order_by("name")


def _own_points(user):
    return RiskPoint.objects.filter(organization_id=user.organization_id, is_active=True).order_by("name")


class EquipmentForm(ServiceModelForm):
    class Meta:
        model = Equipment
        fields = [
            "kind",
            "name",
            "registration_number",
            "risk_point",
            "area",
            "maintenance_contractor",
            "last_inspected_on",
            "interval_months",
        ]
        widgets = {"last_inspected_on": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = EquipmentKind.objects.filter(is_active=True)
        self.fields["risk_point"].queryset = _own_points(self.user)
        self.fields["risk_point"].help_text = _("四色图中的风险点（选填），或在“安装位置”中填写区域")


class EquipmentFilterForm(FilterForm):
    q = search_field(_("设备名称、登记证编号或位置"))
    group = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *EquipmentGroup.choices])
    kind = forms.ModelChoiceField(
        label=_("种类"), required=False, queryset=EquipmentKind.objects.all(), empty_label=_("全部种类")
    )
    state = forms.ChoiceField(label=_("检验状态"), required=False, choices=[("", _("全部状态")), *DueState.choices])
    organization = forms.ModelChoiceField(
        label=_("机构"), required=False, queryset=Organization.objects.none(), empty_label=_("全部机构")
    )
    active = active_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user.organization is not None and self.user.organization.is_institution:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = _institutions(self.user)


class RecordForm(StyledForm):
    kind = forms.ChoiceField(label=_("记录类型"), choices=RecordKind.choices, initial=RecordKind.INSPECTION)
    performed_on = forms.DateField(label=_("检验/维保日期"), widget=date_input())
    result = forms.ChoiceField(label=_("结论"), choices=RecordResult.choices)
    agency = forms.CharField(label=_("检验机构/维保单位"), required=False, max_length=100)
    report_number = forms.CharField(label=_("报告编号"), required=False, max_length=60)
    report = forms.FileField(
        label=_("检验报告"), required=False, help_text=_("法定检验/检测须上传。") + uploads.upload_help()
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea)


class OverdueHazardForm(StyledForm):
    title = forms.CharField(label=_("隐患名称"), max_length=200)
    level = forms.ChoiceField(
        label=_("隐患等级"),
        choices=HazardLevel.choices,
        help_text=_("特种设备未按规定检验检测，属《医疗机构重大事故隐患判定清单（试行）》第2条情形。"),
    )
    description = forms.CharField(label=_("隐患描述"), required=False, max_length=4000, widget=forms.Textarea)


class KindForm(ServiceModelForm):
    class Meta:
        model = EquipmentKind
        fields = ["name", "interval_months", "inspection_name", "regulation", "is_active"]


class PlaceForm(ServiceModelForm):
    class Meta:
        model = StoragePlace
        fields = ["name", "risk_point", "keepers"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_point"].queryset = _own_points(self.user)


class LocateForm(StyledForm):
    """A storage place's spot on a floor plan of the four-colour map. The page fills the two
    percentages when the user clicks the plan; they can be typed as well."""

    floor_plan = forms.ModelChoiceField(
        label=_("楼层平面图"),
        required=False,
        queryset=FloorPlan.objects.none(),
        empty_label=_("（不在图上标注）"),
        help_text=_("风险四色图中本机构的楼层平面图"),
    )
    plan_x = forms.DecimalField(
        label=_("横向位置（%，自左边起）"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    plan_y = forms.DecimalField(
        label=_("纵向位置（%，自上边起）"), required=False, min_value=0, max_value=100, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["floor_plan"].queryset = FloorPlan.objects.filter(
            organization_id=self.user.organization_id, is_active=True
        ).order_by("building", "floor", "pk")
        self.fields["floor_plan"].widget.attrs["data-plan-chooser"] = ""
        self.fields["plan_x"].widget.attrs.update({"step": "0.01", "data-plan-x": ""})
        self.fields["plan_y"].widget.attrs.update({"step": "0.01", "data-plan-y": ""})

    def spot(self) -> tuple:
        """The plan and the spot as the service takes it (0–1), or None where not given."""
        d = self.cleaned_data
        x, y = d.get("plan_x"), d.get("plan_y")
        return d.get("floor_plan"), (None if x is None else x / 100), (None if y is None else y / 100)


class StockForm(StyledForm):
    place = forms.ModelChoiceField(label=_("储存地点"), queryset=StoragePlace.objects.none())
    chemical = forms.ModelChoiceField(label=_("危险化学品"), queryset=Chemical.objects.filter(is_active=True))
    unit = forms.ChoiceField(label=_("单位"), choices=Unit.choices)
    max_quantity = forms.DecimalField(label=_("最大允许储存量"), max_digits=12, decimal_places=2)
    initial_quantity = forms.DecimalField(
        label=_("当前库存（盘点数）"), max_digits=12, decimal_places=2, required=False, initial=0
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = StoragePlace.objects.filter(
            organization_id=self.user.organization_id, is_active=True
        ).order_by("name")


class LimitForm(StyledForm):
    max_quantity = forms.DecimalField(label=_("最大允许储存量"), max_digits=12, decimal_places=2)


class MovementForm(StyledForm):
    direction = forms.ChoiceField(label=_("收发"), choices=MovementDirection.choices)
    quantity = forms.DecimalField(label=_("数量"), max_digits=12, decimal_places=2)
    moved_on = forms.DateField(label=_("日期"), widget=date_input())
    purpose = forms.CharField(label=_("用途/来源"), required=False, max_length=200)


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("作废原因"), max_length=200)


class StockFilterForm(FilterForm):
    q = search_field(_("名称、CAS号或储存地点"))
    organization = forms.ModelChoiceField(
        label=_("机构"), required=False, queryset=Organization.objects.none(), empty_label=_("全部机构")
    )
    over_limit = forms.BooleanField(label=_("仅超量"), required=False)
    typical = forms.BooleanField(label=_("仅8种典型危化品"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user.organization is not None and self.user.organization.is_institution:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = _institutions(self.user)


class WasteForm(StyledForm):
    handed_on = forms.DateField(label=_("交接日期"), widget=date_input())
    category = forms.ChoiceField(label=_("废物类别"), choices=WasteCategory.choices)
    weight_kg = forms.DecimalField(label=_("重量（千克）"), max_digits=12, decimal_places=2)
    receiver = forms.CharField(label=_("接收单位"), max_length=100)
    form_number = forms.CharField(label=_("转移联单编号"), required=False, max_length=60)
    handed_by_name = forms.CharField(label=_("交接人"), required=False, max_length=60)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class WasteFilterForm(FilterForm):
    month = forms.DateField(
        label=_("月份"), required=False, widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m"]
    )
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *WasteCategory.choices])
    organization = forms.ModelChoiceField(
        label=_("机构"), required=False, queryset=Organization.objects.none(), empty_label=_("全部机构")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user.organization is not None and self.user.organization.is_institution:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = _institutions(self.user)


class FirePersonForm(StyledForm):
    duty = forms.ChoiceField(label=_("职责"), choices=FireDuty.choices)
    name = forms.CharField(label=_("姓名"), max_length=60)
    position = forms.CharField(label=_("职务"), required=False, max_length=60)
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=30)
    appointed_on = forms.DateField(label=_("任命日期"), widget=date_input())
