"""Waste handovers: the list with monthly totals by category, a handover entered or voided."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import FilteredListView, ServiceFormView
from anjian.registers import forms, selectors, services
from anjian.registers.choices import WasteCategory
from anjian.registers.models import WasteHandover
from anjian.registers.views.common import may_manage


class WasteListView(FilteredListView):
    required_action = Action.REGISTER_VIEW
    template_name = "registers/waste_list.html"
    filter_form_class = forms.WasteFilterForm
    context_object_name = "handovers"
    paginate_by = 50

    def get_filtered_queryset(self, **f):
        return selectors.waste_list(
            user=self.request.user,
            month=f.get("month"),
            category=f.get("category") or "",
            organization=f.get("organization"),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["totals"] = selectors.waste_monthly_totals(
            user=self.request.user, organization=self.filters.get("organization")
        )
        ctx["categories"] = WasteCategory.choices
        ctx["may_manage"] = may_manage(self.request.user)
        return ctx


class WasteCreateView(ServiceFormView):
    required_action = Action.REGISTER_MANAGE
    form_class = forms.WasteForm
    extra_context = {"title": _("登记废物交接")}
    success_message = _("已登记废物交接记录。")

    def perform(self, form):
        return services.waste_handover_record(by=self.request.user, data=form.cleaned_data)

    def get_success_url(self):
        return reverse("registers:waste-list")


class WasteVoidView(ServiceFormView):
    required_action = Action.REGISTER_MANAGE
    form_class = forms.ReasonForm
    success_message = _("已作废该交接记录。")

    def get_object(self):
        return get_visible_or_404(WasteHandover, self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("作废废物交接记录：%(w)s") % {"w": self.object}
        return ctx

    def perform(self, form):
        return services.waste_handover_void(
            by=self.request.user, handover=self.object, reason=form.cleaned_data["reason"]
        )

    def get_success_url(self):
        return reverse("registers:waste-list")
