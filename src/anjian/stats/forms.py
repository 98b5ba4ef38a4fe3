"""The dashboard's period and scope bar (GET). Parsing and checking happen in stats.periods and
stats.selectors.resolve_scope; this form only draws the inputs with the current values."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import StyledForm
from anjian.core.periods import QUARTER_NAMES
from anjian.orgs.choices import InstitutionKind, OrganizationType
from anjian.orgs.models import Organization

PERIOD_KINDS = [("year", _("按年")), ("quarter", _("按季度")), ("month", _("按月")), ("custom", _("自定义"))]


def _quarters():
    today = timezone.localdate()
    out = []
    for year in range(today.year, today.year - 3, -1):
        for q in range(4, 0, -1):
            if year == today.year and 3 * (q - 1) + 1 > today.month:
                continue
            out.append((f"{year}Q{q}", _("%(y)s年第%(q)s季度") % {"y": year, "q": QUARTER_NAMES[q]}))
    return out


def _years():
    today = timezone.localdate()
    return [(str(y), _("%(y)s年") % {"y": y}) for y in range(today.year, today.year - 6, -1)]


class DashboardForm(StyledForm):
    period = forms.ChoiceField(label=_("统计期间"), required=False, choices=PERIOD_KINDS)
    year = forms.ChoiceField(label=_("年份"), required=False)
    quarter = forms.ChoiceField(label=_("季度"), required=False)
    month = forms.CharField(label=_("月份"), required=False, widget=forms.DateInput(attrs={"type": "month"}))
    start = forms.CharField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.CharField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    organization = forms.ModelChoiceField(
        label=_("统计范围"), required=False, queryset=Organization.objects.none(), empty_label=_("全部管辖范围")
    )
    kind = forms.ChoiceField(
        label=_("机构类别"), required=False, choices=[("", _("全部类别")), *InstitutionKind.choices]
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["year"].choices = _years()
        self.fields["quarter"].choices = _quarters()
        own = user.organization if user is not None else None
        if own is not None and own.is_institution:
            del self.fields["organization"]
            del self.fields["kind"]
        else:
            self.fields["organization"].queryset = (
                Organization.objects.visible_to(user)
                .filter(type__in=[OrganizationType.REGULATOR, OrganizationType.INSTITUTION], is_active=True)
                .order_by("path")
            )
