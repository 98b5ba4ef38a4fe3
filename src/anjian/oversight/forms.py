"""The oversight forms: they bind input; the services decide (their DomainError goes back on the form)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import FilterForm, StyledForm, date_input, datetime_input
from anjian.core.scoping import scope_q
from anjian.hazards.choices import HazardLevel
from anjian.hazards.forms import ImagesField, MultipleImageInput
from anjian.hazards.models import Criterion, Hazard, HazardCategory
from anjian.orgs.choices import InstitutionKind
from anjian.orgs.models import Organization
from anjian.oversight.choices import DocumentKind, IndicatorKind, TipStatus
from anjian.risks.choices import AccidentType


class _TipFields(StyledForm):
    """What every tip says where it is and may show: the place and the photos."""

    location = forms.CharField(
        label=_("具体位置"), max_length=200, required=False, help_text=_("如：门诊楼二楼东侧楼梯间")
    )
    photos = ImagesField(
        label=_("现场照片（可选，最多 6 张）"),
        required=False,
        widget=MultipleImageInput(attrs={"accept": "image/*"}),
        help_text=_("照片中的拍摄位置等信息会被去除后保存。"),
    )


class TipForm(_TipFields):
    """The public form: the institution (or a district's commission and an address), what and where,
    photos, an optional contact, and the arithmetic question."""

    organization = forms.ModelChoiceField(
        label=_("被举报的机构"),
        queryset=Organization.objects.filter(is_active=True, type__in=["institution", "regulator"]),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("请从搜索结果中选择机构。")},
    )
    address = forms.CharField(label=_("地址（找不到机构时填写）"), max_length=200, required=False)
    description = forms.CharField(label=_("看到的问题"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    contact = forms.CharField(
        label=_("联系方式（可选）"),
        max_length=100,
        required=False,
        help_text=_("匿名举报可不填；填写后加密保存，仅受理部门可见，用于核实情况和兑现奖励。"),
    )
    answer = forms.CharField(label=_("验证题"), max_length=10)
    challenge = forms.CharField(widget=forms.HiddenInput, max_length=500)

    field_order = ["organization", "address", "location", "description", "photos", "contact", "answer", "challenge"]


class InternalTipForm(_TipFields):
    """A staff member's tip about their own institution, signed in: no institution to choose and no
    arithmetic question; the account is recorded for the regulator only."""

    description = forms.CharField(label=_("发现的隐患"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    contact = forms.CharField(
        label=_("其他联系方式（可选）"),
        max_length=100,
        required=False,
        help_text=_("受理部门可通过您的账号联系您；如希望用其他方式联系，请在此填写，加密保存。"),
    )

    field_order = ["location", "description", "photos", "contact"]


class TipStatusForm(StyledForm):
    code = forms.CharField(label=_("受理回执码"), max_length=30)


class TipAcceptForm(StyledForm):
    fieldsets = [("", ["organization", "title", "description", "category", "level", "criterion", "location", "reply"])]
    wide_fields = ("description",)

    organization = forms.ModelChoiceField(label=_("隐患所在机构"), queryset=Organization.objects.none(), required=False)
    title = forms.CharField(label=_("隐患名称"), max_length=200)
    description = forms.CharField(
        label=_("隐患描述"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "机构看到的是这段描述，而不是举报原文：请删去举报人的姓名、电话等信息。"
            "举报照片将作为整改前照片一并登记，照片已重新编码，拍摄位置等信息已去除。"
        ),
    )
    category = forms.ModelChoiceField(label=_("隐患类别"), queryset=HazardCategory.objects.filter(is_active=True))
    level = forms.ChoiceField(label=_("隐患等级"), choices=HazardLevel.choices, initial=HazardLevel.GENERAL)
    criterion = forms.ModelChoiceField(
        label=_("判定依据（重大事故隐患）"),
        queryset=Criterion.objects.filter(is_active=True, criterion_set__is_active=True).select_related(
            "criterion_set"
        ),
        required=False,
    )
    location = forms.CharField(label=_("隐患部位"), max_length=200, required=False)
    reply = forms.CharField(
        label=_("答复举报人（可选）"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, tip=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tip is not None and tip.organization_id:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = Organization.objects.filter(
                scope_q(self.user, ""), type="institution", is_active=True
            )
            self.fields["organization"].required = True


class TipDismissForm(StyledForm):
    reason = forms.CharField(label=_("不予受理理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    reply = forms.CharField(
        label=_("答复举报人（可选）"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TipReplyForm(StyledForm):
    reply = forms.CharField(label=_("答复举报人"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class TipRewardForm(StyledForm):
    amount = forms.DecimalField(label=_("奖励金额（元）"), max_digits=10, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("奖励理由"), max_length=500, required=False)


class TipRewardDecisionForm(StyledForm):
    decision = forms.ChoiceField(label=_("审批"), choices=[("approve", _("批准")), ("refuse", _("不批准"))])
    note = forms.CharField(label=_("意见"), max_length=500, required=False)


class TipFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *TipStatus.choices], required=False)


class AccidentForm(StyledForm):
    """The quick report (快报)."""

    wide_fields = ("description",)

    organization = forms.ModelChoiceField(label=_("发生单位"), queryset=Organization.objects.none())
    occurred_at = forms.DateTimeField(label=_("发生时间"), widget=datetime_input())
    place = forms.CharField(label=_("发生地点"), max_length=200)
    kind = forms.ChoiceField(label=_("事故类别"), choices=AccidentType.choices)
    deaths = forms.IntegerField(label=_("死亡人数"), min_value=0, max_value=100000, initial=0)
    injuries = forms.IntegerField(label=_("受伤人数"), min_value=0, max_value=100000, initial=0)
    direct_loss = forms.DecimalField(
        label=_("直接经济损失（万元）"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    description = forms.CharField(label=_("事故简要经过"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.filter(scope_q(self.user, ""), type="institution", is_active=True)
        self.fields["organization"].queryset = orgs.order_by("name")
        if self.user is not None and self.user.organization is not None and self.user.organization.is_institution:
            self.fields["organization"].initial = self.user.organization_id


class AccidentCompleteForm(StyledForm):
    """The full report: the quick report's figures as finally known, cause, measures, hazards."""

    wide_fields = ("cause", "measures", "description")

    deaths = forms.IntegerField(label=_("死亡人数"), min_value=0, max_value=100000)
    injuries = forms.IntegerField(label=_("受伤人数"), min_value=0, max_value=100000)
    direct_loss = forms.DecimalField(label=_("直接经济损失（万元）"), min_value=0, max_digits=12, decimal_places=2)
    description = forms.CharField(label=_("事故经过"), widget=forms.Textarea(attrs={"rows": 3}))
    cause = forms.CharField(label=_("事故原因"), widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label=_("整改和防范措施"), widget=forms.Textarea(attrs={"rows": 3}))
    hazards = forms.ModelMultipleChoiceField(
        label=_("关联隐患（事故背后的隐患）"), queryset=Hazard.objects.none(), required=False
    )

    def __init__(self, *args, accident=None, **kwargs):
        super().__init__(*args, **kwargs)
        if accident is not None:
            self.fields["hazards"].queryset = Hazard.objects.visible_to(self.user).filter(
                organization_id=accident.organization_id
            )


class VoidForm(StyledForm):
    reason = forms.CharField(label=_("作废理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class YearForm(FilterForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


class AssessmentForm(StyledForm):
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)


class IndicatorForm(StyledForm):
    name = forms.CharField(label=_("指标名称"), max_length=100)
    kind = forms.ChoiceField(label=_("计分方式"), choices=IndicatorKind.choices)
    metric = forms.ChoiceField(label=_("数据指标（平台数据计算时）"), choices=[], required=False)
    weight = forms.DecimalField(label=_("分值"), min_value=0, max_value=100, decimal_places=1)
    is_veto = forms.BooleanField(label=_("一票否决项"), required=False)
    description = forms.CharField(label=_("评分标准"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=32000, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        from anjian.oversight.assessment import METRICS

        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", _("请选择")), *METRICS.items()]


class ManualScoreForm(StyledForm):
    """One score, evidence (and veto) per hand-scored indicator of the assessment's set."""

    def __init__(self, *args, indicators=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.indicators = list(indicators)
        groups = []
        for ind in self.indicators:
            given = current.get(ind.pk)
            if ind.is_veto:
                self.fields[f"vetoed_{ind.pk}"] = forms.BooleanField(
                    label=_("一票否决：%(n)s") % {"n": ind.name},
                    required=False,
                    initial=given.vetoed if given else False,
                )
            else:
                self.fields[f"score_{ind.pk}"] = forms.DecimalField(
                    label=_("%(n)s（满分 %(w)s）") % {"n": ind.name, "w": ind.weight.normalize()},
                    min_value=0,
                    max_value=ind.weight,
                    decimal_places=1,
                    initial=given.score if given else ind.weight,
                )
            self.fields[f"evidence_{ind.pk}"] = forms.CharField(
                label=_("评分依据"), required=False, initial=given.evidence if given else "", max_length=2000
            )
            groups.append((ind.name, [f"score_{ind.pk}", f"vetoed_{ind.pk}", f"evidence_{ind.pk}"]))
        self.fieldsets = groups
        for field in self.fields.values():  # the styling of StyledFormMixin, for the fields added here
            widget = field.widget
            widget.attrs.setdefault(
                "class", "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            )


class DocumentForm(StyledForm):
    wide_fields = ("body",)

    kind = forms.ChoiceField(label=_("文书类型"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    addressee = forms.CharField(label=_("主送"), max_length=200, help_text=_("如：辖区各医疗卫生机构"))
    institutions = forms.ModelMultipleChoiceField(
        label=_("涉及机构（通报必选；督促函发给所选机构）"), queryset=Organization.objects.none(), required=False
    )
    audience_kind = forms.ChoiceField(
        label=_("通报范围"),
        choices=[("", _("辖区全部机构")), *InstitutionKind.choices],
        required=False,
        help_text=_("通报印发后，范围内的机构可在“收到的通报”中查阅"),
    )
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 10}))
    receiving_body = forms.CharField(label=_("接收单位（移交函）"), max_length=200, required=False)
    handed_over_on = forms.DateField(label=_("移交日期（移交函）"), required=False, widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institutions"].queryset = Organization.objects.filter(
            scope_q(self.user, ""), type="institution", is_active=True
        ).order_by("name")


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(label=_("审批"), choices=[("approve", _("批准")), ("reject", _("不批准"))])
    note = forms.CharField(label=_("意见"), max_length=1000, required=False)


class ExposureForm(StyledForm):
    hazard_number = forms.CharField(label=_("隐患编号"), max_length=30, help_text=_("如 YH-2026-000123"))
    problem = forms.CharField(label=_("曝光内容（不写人名）"), max_length=300, required=False)
