"""Hazardous chemicals: the inventory (一张表 on screen and as xlsx), storage places, one stock with
its in/out ledger, movements entered and confirmed by a second person (双人收发), the reference list."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.core import xlsx
from anjian.core.errors import DomainError
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, AuditedExportMixin, FilteredListView, ServiceFormView
from anjian.orgs.models import Organization
from anjian.registers import exports, forms, selectors, services
from anjian.registers.models import Chemical, ChemicalMovement, ChemicalStock
from anjian.registers.views.common import may_manage


class StockListView(FilteredListView):
    required_action = Action.REGISTER_VIEW
    template_name = "registers/stock_list.html"
    filter_form_class = forms.StockFilterForm
    context_object_name = "stocks"
    paginate_by = 100

    def get_filtered_queryset(self, **f):
        return selectors.stock_list(
            user=self.request.user,
            q=f.get("q") or "",
            organization=f.get("organization"),
            over_limit=bool(f.get("over_limit")),
            typical=bool(f.get("typical")),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["places"] = selectors.place_list(user=user, active=None)[:100]
        ctx["pending"] = list(selectors.movements_to_confirm(user=user)[:20]) if can(user, Action.CHEMICAL_MOVE) else []
        ctx["may_manage"] = may_manage(user)
        org = self.filters.get("organization") or user.organization
        ctx["table_org"] = org if org is not None and org.is_institution else None
        return ctx


class PlaceCreateView(ServiceFormView):
    required_action = Action.REGISTER_MANAGE
    form_class = forms.PlaceForm
    extra_context = {"title": _("新建危化品储存地点")}
    success_message = _("已新建储存地点“%(object)s”。")

    def perform(self, form):
        return services.storage_place_create(by=self.request.user, data=form.service_data())


class StockCreateView(ServiceFormView):
    required_action = Action.REGISTER_MANAGE
    form_class = forms.StockForm
    extra_context = {"title": _("登记危化品库存")}
    success_message = _("已登记“%(object)s”。")

    def perform(self, form):
        d = form.cleaned_data
        return services.stock_create(
            by=self.request.user,
            place=d["place"],
            chemical=d["chemical"],
            unit=d["unit"],
            max_quantity=d["max_quantity"],
            initial_quantity=d.get("initial_quantity") or 0,
        )


class _StockMixin:
    def get_object(self):
        return get_visible_or_404(
            ChemicalStock.objects.select_related("chemical", "place", "organization"),
            self.request.user,
            pk=self.kwargs["pk"],
        )


class StockDetailView(_StockMixin, ActionRequiredMixin, TemplateView):
    required_action = Action.REGISTER_VIEW
    template_name = "registers/stock_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        stock = self.get_object()
        ctx.update(
            stock=stock,
            movements=selectors.movement_list(user=user, stock=stock)[:200],
            may_manage=may_manage(user, stock),
            may_move=can(user, Action.CHEMICAL_MOVE) and stock.organization_id == user.organization_id,
        )
        return ctx


class StockLimitView(_StockMixin, ServiceFormView):
    required_action = Action.REGISTER_MANAGE
    form_class = forms.LimitForm
    success_message = _("已修改“%(object)s”的最大允许储存量。")

    def get_initial(self):
        return {"max_quantity": self.object.max_quantity}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("修改最大允许储存量：%(s)s") % {"s": self.object}
        return ctx

    def perform(self, form):
        return services.stock_update_limit(
            by=self.request.user, stock=self.object, max_quantity=form.cleaned_data["max_quantity"]
        )


class MovementCreateView(_StockMixin, ServiceFormView):
    required_action = Action.CHEMICAL_MOVE
    form_class = forms.MovementForm
    success_message = _("已登记，待另一人复核后计入库存。")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("登记出入库：%(s)s") % {"s": self.object}
        ctx["note"] = _("双人收发：登记后须由另一人复核，复核后才计入库存。")
        return ctx

    def perform(self, form):
        d = form.cleaned_data
        services.movement_record(
            by=self.request.user,
            stock=self.object,
            direction=d["direction"],
            amount=d["quantity"],
            moved_on=d["moved_on"],
            purpose=d.get("purpose", ""),
        )
        return self.object


class MovementConfirmView(ActionRequiredMixin, View):
    required_action = Action.CHEMICAL_MOVE

    def post(self, request, pk):
        movement = get_visible_or_404(ChemicalMovement, request.user, pk=pk)
        try:
            services.movement_confirm(by=request.user, movement=movement)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已复核，库存已更新。"))
        return HttpResponseRedirect(reverse("registers:stock-detail", args=[movement.stock_id]))


class MovementCancelView(ServiceFormView):
    required_action = Action.CHEMICAL_MOVE
    form_class = forms.ReasonForm
    success_message = _("已作废该出入库记录。")

    def get_object(self):
        return get_visible_or_404(
            ChemicalMovement.objects.select_related("stock"), self.request.user, pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("作废出入库记录：%(m)s") % {"m": self.object}
        return ctx

    def perform(self, form):
        return services.movement_cancel(by=self.request.user, movement=self.object, reason=form.cleaned_data["reason"])

    def get_success_url(self):
        return reverse("registers:stock-detail", args=[self.object.stock_id])


class ChemicalTableView(AuditedExportMixin, ActionRequiredMixin, View):
    """The 一张表 of one institution (the user's own; a regulator names it with ``?organization=``)."""

    required_action = Action.REGISTER_VIEW
    export_label = _("危化品一张表")

    def get(self, request):
        org_id = request.GET.get("organization") or request.user.organization_id
        if not str(org_id).isdigit():
            raise Http404(_("未找到该记录。"))
        org = get_visible_or_404(Organization, request.user, pk=int(org_id))
        if not org.is_institution:
            raise Http404(_("请选择医疗卫生机构。"))
        stocks = list(selectors.stock_list(user=request.user, organization=org))
        self.export_rows = len(stocks)
        self.export_target = org
        wb = exports.chemical_table(org, stocks)
        return xlsx.workbook_response(wb, f"{org.name}危化品一张表.xlsx")


class ChemicalCatalogueView(ActionRequiredMixin, TemplateView):
    required_action = Action.REGISTER_VIEW
    template_name = "registers/chemical_catalogue.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["chemicals"] = Chemical.objects.all()
        return ctx
