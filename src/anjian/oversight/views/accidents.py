"""Accident reports: the list with the year's comparison against the base year, the quick report,
a report's page, the full report and voiding."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, ServiceFormView
from anjian.oversight import accident_stats, selectors
from anjian.oversight.forms import AccidentCompleteForm, AccidentForm, VoidForm, YearForm
from anjian.oversight.models import QUICK_REPORT_HOURS, Accident
from anjian.oversight.services import accidents as services

LABELS = {
    "accidents": _("事故起数"),
    "deaths": _("死亡人数"),
    "injuries": _("受伤人数"),
    "direct_loss": _("直接经济损失（万元）"),
}


def comparison_rows(figures: dict) -> list[dict]:
    return [{"name": name, "label": LABELS[name], **m} for name, m in figures["measures"].items()]


class AccidentListView(ActionRequiredMixin, View):
    required_action = Action.ACCIDENT_VIEW

    def get(self, request):
        form = YearForm(request.GET, user=request.user)
        year = form.filters().get("year") or timezone.localdate().year
        figures = accident_stats.comparison(user=request.user, year=year)
        accidents = selectors.accident_list(user=request.user, year=year)[:200]
        return render(
            request,
            "oversight/accident_list.html",
            {
                "form": form,
                "figures": figures,
                "rows": comparison_rows(figures),
                "accidents": accidents,
                "may_report": can(request.user, Action.ACCIDENT_REPORT),
            },
        )


class AccidentCreateView(ServiceFormView):
    required_action = Action.ACCIDENT_REPORT
    form_class = AccidentForm
    success_message = _("事故快报已报送：%(object)s")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "title": _("事故快报"),
            "note": _("事故发生后 1 小时内快报，完整报告随后补充。"),
        }

    def perform(self, form):
        d = dict(form.cleaned_data)
        return services.accident_report(by=self.request.user, organization=d.pop("organization"), data=d)

    def get_success_url(self):
        return reverse("oversight:accident-detail", args=[self.object.pk])


def _accident(request, pk) -> Accident:
    return get_visible_or_404(Accident.objects.select_related("organization", "reported_by"), request.user, pk=pk)


class AccidentDetailView(ActionRequiredMixin, View):
    required_action = Action.ACCIDENT_VIEW

    def get(self, request, pk):
        accident = _accident(request, pk)
        return render(
            request,
            "oversight/accident_detail.html",
            {
                "accident": accident,
                "hazards": list(accident.hazards.all()),
                "may_report": can(request.user, Action.ACCIDENT_REPORT) and not accident.is_void,
                "may_void": services.may_void(request.user) and not accident.is_void,
                "quick_limit": QUICK_REPORT_HOURS,
            },
        )


class _AccidentActionView(ServiceFormView):
    required_action = Action.ACCIDENT_REPORT
    heading = ""

    def get_object(self):
        return _accident(self.request, self.kwargs["pk"])

    def get_success_url(self):
        return reverse("oversight:accident-detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": f"{self.heading} · {self.object.number}"}


class AccidentCompleteView(_AccidentActionView):
    form_class = AccidentCompleteForm
    heading = _("事故完整报告")
    success_message = _("完整报告已报送。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "accident": self.object}

    def get_initial(self):
        a = self.object
        fields = ("deaths", "injuries", "direct_loss", "description", "cause", "measures")
        return {**{f: getattr(a, f) for f in fields}, "hazards": list(a.hazards.values_list("pk", flat=True))}

    def perform(self, form):
        d = dict(form.cleaned_data)
        hazards = d.pop("hazards")
        return services.accident_complete(by=self.request.user, accident=self.object, data=d, hazards=hazards)


class AccidentVoidView(_AccidentActionView):
    form_class = VoidForm
    heading = _("作废事故报告")
    success_message = _("事故报告已作废。")

    def perform(self, form):
        return services.accident_void(by=self.request.user, accident=self.object, reason=form.cleaned_data["reason"])
