from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.action_plans.forms import Checks
from anjian.core.forms import ServiceModelForm, StyledForm, date_input
from anjian.core.periods import Period
from anjian.hazards.models import HazardCategory
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Organization
from anjian.reports.models import NoticeTemplate, StatisticsTopic


def _organizations(user, *types):
    return Organization.objects.visible_to(user).filter(type__in=types, is_active=True).order_by("path", "name")


class MonthlyForm(StyledForm):
    month = forms.CharField(label=_("统计月份"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    organization = forms.ModelChoiceField(label=_("填报单位"), queryset=Organization.objects.none(), required=False)
    since = forms.CharField(
        label=_("累计起始月份"),
        required=False,
        help_text=_("“累计总计”从该月1日算起，默认为当年1月"),
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _organizations(
            self.user, OrganizationType.REGULATOR, OrganizationType.INSTITUTION
        )
        self.fields["organization"].empty_label = _("本单位")
        self.fields["month"].initial = timezone.localdate().strftime("%Y-%m")


class AnalysisForm(StyledForm):
    KINDS = [("quarter", _("季度")), ("year", _("年度"))]
    kind = forms.ChoiceField(label=_("报表类型"), choices=KINDS, required=False)
    year = forms.IntegerField(label=_("年份"), required=False, min_value=2000, max_value=2100)
    quarter = forms.ChoiceField(
        label=_("季度"), required=False, choices=[(str(q), _("第%(q)s季度") % {"q": q}) for q in range(1, 5)]
    )
    organization = forms.ModelChoiceField(label=_("机构"), queryset=Organization.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _organizations(self.user, OrganizationType.INSTITUTION)
        self.fields["organization"].empty_label = _("本单位")
        year, quarter = self.default_quarter()
        self.fields["year"].initial = year
        self.fields["quarter"].initial = str(quarter)

    @staticmethod
    def default_quarter() -> tuple[int, int]:
        """The last full quarter (the one to report on by the 15th of this quarter's first month)."""
        today = timezone.localdate()
        current = (today.month - 1) // 3 + 1
        return (today.year, current - 1) if current > 1 else (today.year - 1, 4)

    def period(self) -> Period:
        """The quarter or year chosen: the last full quarter by default (a year out of range is
        refused by ``core.periods`` in Chinese)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        default_year, last_quarter = self.default_quarter()
        if data.get("kind") == "year":
            return Period.from_params({"year": str(data.get("year") or timezone.localdate().year - 1)})
        quarter = f"{data.get('year') or default_year}Q{data.get('quarter') or last_quarter}"
        return Period.from_params({"quarter": quarter})


class NoticeIssueForm(StyledForm):
    """Issuing a notice: a rectification notice for a hazard without a deadline asks for one (the
    service requires it of a regulator)."""

    deadline = forms.DateField(label=_("整改期限"), required=False, widget=date_input())

    def __init__(self, *args, ask_deadline=False, deadline_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_deadline:
            del self.fields["deadline"]
        else:
            self.fields["deadline"].help_text = (
                _("该隐患尚未确定整改期限，监管部门出具的整改通知书须写明")
                if deadline_required
                else _("该隐患尚未确定整改期限；留空则通知书写“（待定）”")
            )
            self.fields["deadline"].widget.attrs["min"] = timezone.localdate().isoformat()


class NoticeReissueForm(StyledForm):
    """Issuing a notice again as a new version, with the reason (and, for a rectification notice, the
    deadline it sets)."""

    wide_fields = ("reason",)

    reason = forms.CharField(
        label=_("重新出具的原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：延长整改期限、更正隐患描述；写入操作记录"),
    )
    deadline = forms.DateField(label=_("整改期限"), required=False, widget=date_input())

    def __init__(self, *args, ask_deadline=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_deadline:
            del self.fields["deadline"]
        else:
            self.fields["deadline"].help_text = _("新版通知书要求的整改期限；留空则沿用隐患或上一版的期限")
            self.fields["deadline"].widget.attrs["min"] = timezone.localdate().isoformat()


class NoticeTemplateForm(StyledForm):
    wide_fields = ("body", "red_head", "title", "number_format", "signature", "note")

    title = forms.CharField(label=_("标题"), max_length=100)
    red_head = forms.CharField(
        label=_("红头（发文机关标志）"),
        max_length=100,
        required=False,
        help_text=_("留空则不套红头，如“{发文机关}文件”"),
    )
    number_format = forms.CharField(label=_("文号格式"), max_length=100, help_text=_("如 {机关代字}〔{年}〕{序号}号"))
    body = forms.CharField(
        label=_("正文"), widget=forms.Textarea(attrs={"rows": 14}), help_text=_("每行一段，出具时替换花括号中的占位符")
    )
    signature = forms.CharField(label=_("落款（发文机关署名）"), max_length=100)
    note = forms.CharField(label=_("修改说明（选填）"), max_length=200, required=False)

    @staticmethod
    def initial_for(template: NoticeTemplate) -> dict:
        return {name: getattr(template, name) for name in ("title", "red_head", "number_format", "body", "signature")}


class TopicForm(ServiceModelForm):
    categories = forms.ModelMultipleChoiceField(
        label=_("统计的隐患类别"),
        queryset=HazardCategory.objects.none(),
        required=False,
        widget=Checks,
        help_text=_("一个类别只能归入一个专题；未归入任何专题的隐患仍计入“当月累计”和“累计总计”。"),
    )

    class Meta:
        model = StatisticsTopic
        fields = ["name", "sort_order", "is_active"]

    wide_fields = ("name", "categories")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = HazardCategory.objects.filter(is_active=True)
        if self.instance.pk:
            self.initial.setdefault("categories", list(self.instance.categories.all()))

    def service_data(self) -> dict:
        data = super().service_data()
        data["categories"] = list(self.cleaned_data.get("categories") or [])
        return data
