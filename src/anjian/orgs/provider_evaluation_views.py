"""The regulator's yearly evaluation of a third-party provider (考核评分表, 一票否决): one form,
built from ``provider_evaluations.SHEET`` and ``VETOES``; the service decides."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import StyledForm
from anjian.core.permissions import Action
from anjian.core.views import ServiceFormView
from anjian.orgs import selectors
from anjian.orgs.provider_evaluations import SHEET, VETOES, provider_evaluate


class ProviderEvaluationForm(StyledForm):
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("考核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        for code, label, full in SHEET:
            self.fields[f"score_{code}"] = forms.IntegerField(
                label=f"{label}（{full}分）",
                min_value=0,
                max_value=full,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )
        self.fields["vetoes"] = forms.MultipleChoiceField(
            label=_("一票否决项（任一项成立即考核不合格，本年和下一年不得委托）"),
            choices=[(code, label) for code, label in VETOES],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def scores(self) -> dict:
        return {code: self.cleaned_data.get(f"score_{code}") for code, _label, _full in SHEET}


class ProviderEvaluateView(ServiceFormView):
    required_action = Action.PROVIDER_EVALUATE
    form_class = ProviderEvaluationForm
    extra_context = {"title": _("第三方机构年度考核")}
    success_message = _("已登记“%(object)s”的年度考核。")

    def get_object(self):
        return selectors.organization_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["note"] = str(self.object)
        return ctx

    def get_success_url(self):
        return reverse("orgs:organization-detail", args=[self.object.pk])

    def perform(self, form):
        d = form.cleaned_data
        provider_evaluate(
            by=self.request.user,
            provider=self.object,
            year=d["year"],
            scores=form.scores(),
            vetoes=d.get("vetoes") or [],
            note=d.get("note", ""),
        )
        return self.object
