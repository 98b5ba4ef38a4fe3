"""Forms of the risk register: they bind input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.core.forms import FilterForm, ServiceModelForm, StyledForm, active_field, date_input, search_field
from anjian.hazards.forms import ImagesField, MultipleImageInput
from anjian.hazards.models import HazardCategory
from anjian.orgs.models import Department, Organization, Post
from anjian.risks import scoring
from anjian.risks.choices import FACTOR_LABELS, FACTORS, MethodCode, RiskLevel
from anjian.risks.models import AssessmentMethod, ControlMeasure, Risk, RiskPoint

DATE = date_input()


class RiskPointForm(ServiceModelForm):
    class Meta:
        model = RiskPoint
        fields = ["name", "kind", "department", "building", "floor", "area", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    wide_fields = ("description",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org = self.user.organization_id if self.user else None
        self.fields["department"].queryset = Department.objects.filter(organization_id=org, is_active=True)


class RatingForm(StyledForm):
    """The method and its factor values, as selects built from the current versions' tables."""

    method = forms.ChoiceField(label=_("评价方法"), choices=MethodCode.choices, initial=MethodCode.LEC)
    note = forms.CharField(label=_("评价说明（选填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].widget.attrs["data-method-select"] = "1"
        for method in AssessmentMethod.objects.filter(is_current=True).prefetch_related("factors"):
            table = scoring.factor_table(method)
            for name in FACTORS[MethodCode(method.code)]:
                choices = [("", _("请选择"))] + [
                    (scoring.plain(v), f"{scoring.plain(v)}　{meaning}")
                    for v, meaning in sorted(table.get(name, {}).items(), reverse=True)
                ]
                field = forms.ChoiceField(
                    label=FACTOR_LABELS[(MethodCode(method.code), name)], choices=choices, required=False
                )
                field.widget.attrs.update({"class": "form-select", "data-method": method.code})
                self.fields[f"{method.code.lower()}_{name}"] = field

    def factors(self) -> dict:
        code = self.cleaned_data["method"]
        return {name: self.cleaned_data.get(f"{code.lower()}_{name}") for name in FACTORS[MethodCode(code)]}

    def rating_fieldsets(self):
        return [
            (_("评价方法"), ["method"]),
            (_("LEC 法取值（D = L × E × C）"), ["lec_l", "lec_e", "lec_c"], "lec-fields"),
            (_("LS 法取值（R = L × S）"), ["ls_l", "ls_s"], "ls-fields"),
        ]


class RiskForm(RatingForm):
    name = forms.CharField(label=_("危险源/风险名称"), max_length=200)
    accident_type = forms.ChoiceField(
        label=_("可能导致的事故类型"), choices=Risk._meta.get_field("accident_type").choices
    )
    description = forms.CharField(label=_("风险描述"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    review_on = forms.DateField(label=_("复评日期"), required=False, widget=DATE)

    field_order = ["name", "accident_type", "description", "review_on", "method"]

    def get_fieldsets(self):
        self.fieldsets = [
            (_("风险"), ["name", "accident_type", "review_on", "description"]),
            *self.rating_fieldsets(),
            ("", ["note"]),
        ]
        return super().get_fieldsets()

    def risk_data(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in ("name", "accident_type", "description", "review_on")}


class RiskEditForm(StyledForm):
    name = forms.CharField(label=_("危险源/风险名称"), max_length=200)
    accident_type = forms.ChoiceField(
        label=_("可能导致的事故类型"), choices=Risk._meta.get_field("accident_type").choices
    )
    review_on = forms.DateField(label=_("复评日期"), required=False, widget=DATE)
    description = forms.CharField(label=_("风险描述"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    wide_fields = ("description",)


class ReassessForm(RatingForm):
    def get_fieldsets(self):
        self.fieldsets = [*self.rating_fieldsets(), ("", ["note"])]
        return super().get_fieldsets()


class MeasureForm(ServiceModelForm):
    class Meta:
        model = ControlMeasure
        fields = ["text", "type", "tier", "responsible_post", "responsible_person"]

    wide_fields = ("text",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org = self.user.organization_id if self.user else None
        self.fields["responsible_post"].queryset = Post.objects.filter(
            organization_id=org, is_active=True
        ).select_related("department")
        self.fields["responsible_person"].queryset = User.objects.filter(organization_id=org, is_active=True)


class PostCardForm(StyledForm):
    duties = forms.CharField(label=_("岗位职责清单（每行一条）"), widget=forms.Textarea(attrs={"rows": 5}))
    operation_steps = forms.CharField(
        label=_("岗位操作卡：安全操作步骤（每行一步）"), widget=forms.Textarea(attrs={"rows": 6})
    )
    wide_fields = ("duties", "operation_steps")
    EMERGENCY_SLOTS = 3

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = [
            ("incident", _("典型事故/事件")),
            ("alarm", _("① 报警")),
            ("isolate", _("② 隔离/控制")),
            ("rescue", _("③ 救援/疏散")),
            ("report", _("④ 报告")),
            ("phones", _("应急电话")),
        ]
        groups = [(_("两单"), ["duties", "operation_steps"])]
        for n in range(1, self.EMERGENCY_SLOTS + 1):
            names = []
            for key, label in labels:
                name = f"e{n}_{key}"
                widget = forms.TextInput() if key in ("incident", "phones") else forms.Textarea(attrs={"rows": 2})
                widget.attrs["class"] = "form-control"
                self.fields[name] = forms.CharField(label=label, required=False, widget=widget, max_length=500)
                names.append(name)
            groups.append((_("应急处置卡 %(n)s") % {"n": n}, names))
        self.fieldsets = groups

    def emergencies(self) -> list[dict]:
        keys = ("incident", "alarm", "isolate", "rescue", "report", "phones")
        return [{k: self.cleaned_data.get(f"e{n}_{k}", "") for k in keys} for n in range(1, self.EMERGENCY_SLOTS + 1)]


class RiskHazardForm(StyledForm):
    """A failed control found at the risk: a hazard in the ledger, linked to the risk."""

    photos = ImagesField(
        label=_("现场照片"),
        required=True,
        widget=MultipleImageInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    title = forms.CharField(label=_("发现了什么"), max_length=200)
    category = forms.ModelChoiceField(label=_("隐患类别"), queryset=HazardCategory.objects.filter(is_active=True))
    description = forms.CharField(label=_("补充说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    wide_fields = ("photos", "title", "description")

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if not photos:
            raise forms.ValidationError(_("请拍摄或选择现场照片。"))
        return photos


class FloorPlanForm(StyledForm):
    building = forms.CharField(label=_("建筑"), max_length=60)
    floor = forms.CharField(label=_("楼层"), max_length=20)
    image = forms.FileField(label=_("平面图（JPEG、PNG 图片）"))


class AreaForm(StyledForm):
    name = forms.CharField(label=_("区域名称"), max_length=100)
    risk_points = forms.ModelMultipleChoiceField(
        label=_("关联风险点"), queryset=RiskPoint.objects.none(), required=False
    )
    points = forms.CharField(widget=forms.HiddenInput(attrs={"data-area-points": "1"}), required=False)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["risk_points"].queryset = RiskPoint.objects.filter(
                organization=plan.organization, is_active=True
            )


class RiskFilterForm(FilterForm):
    q = search_field(_("风险或风险点名称"))
    level = forms.ChoiceField(label=_("风险等级"), required=False, choices=[("", _("全部等级")), *RiskLevel.choices])
    organization = forms.ModelChoiceField(
        label=_("机构"), required=False, queryset=Organization.objects.none(), empty_label=_("全部机构")
    )
    without_controls = forms.BooleanField(label=_("无管控措施"), required=False)
    without_checks = forms.BooleanField(label=_("管控措施未列入检查"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.visible_to(self.user).filter(risks__isnull=False).distinct().order_by("name")
        )


class PointFilterForm(FilterForm):
    q = search_field(_("风险点、建筑或区域"))
    level = forms.ChoiceField(
        label=_("最高风险等级"), required=False, choices=[("", _("全部等级")), *RiskLevel.choices]
    )
    active = active_field()


class MethodVersionForm(StyledForm):
    """A new version of a method's tables: one textarea per factor ("分值 含义" per line) and the
    lower edge of each level's band."""

    note = forms.CharField(label=_("修订说明（如依据的文件）"), required=False, max_length=500)

    def __init__(self, *args, method=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.method = method
        table = scoring.factor_table(method)
        code = MethodCode(method.code)
        groups = [(_("因素取值（每行一个：分值 含义）"), [])]
        for name in FACTORS[code]:
            field = f"factor_{name}"
            self.fields[field] = forms.CharField(
                label=FACTOR_LABELS[(code, name)],
                widget=forms.Textarea(attrs={"rows": 7, "class": "form-control"}),
                initial="\n".join(
                    f"{scoring.plain(v)} {m}" for v, m in sorted(table.get(name, {}).items(), reverse=True)
                ),
            )
            groups[0][1].append(field)
        bands = {b.level: b for b in method.bands.all()}
        band_fields = []
        for level in RiskLevel:
            band = bands.get(level.value)
            self.fields[f"min_{level.value}"] = forms.DecimalField(
                label=_("%(l)s：下限") % {"l": level.label}, initial=band.min_score if band else None
            )
            self.fields[f"inclusive_{level.value}"] = forms.BooleanField(
                label=_("%(l)s：含下限") % {"l": level.label}, required=False, initial=band.inclusive if band else True
            )
            self.fields[f"label_{level.value}"] = forms.CharField(
                label=_("%(l)s：分值范围说明") % {"l": level.label}, required=False, initial=band.label if band else ""
            )
            band_fields += [f"min_{level.value}", f"inclusive_{level.value}", f"label_{level.value}"]
        self.fieldsets = [*groups, (_("分级标准"), band_fields), ("", ["note"])]
        self.wide_fields = tuple(f"factor_{n}" for n in FACTORS[code])

    def factors(self) -> dict:
        out = {}
        for name in FACTORS[MethodCode(self.method.code)]:
            rows = []
            for line in self.cleaned_data[f"factor_{name}"].splitlines():
                if line.strip():
                    value, _sep, meaning = line.strip().partition(" ")
                    rows.append((value, meaning))
            out[name] = rows
        return out

    def bands(self) -> list[tuple]:
        return [
            (
                level.value,
                self.cleaned_data[f"min_{level.value}"],
                self.cleaned_data[f"inclusive_{level.value}"],
                self.cleaned_data[f"label_{level.value}"],
            )
            for level in RiskLevel
        ]
