"""The equipment register: the list with due and overdue items, an item with its inspection and
maintenance records, an overdue statutory inspection entered as a hazard (two clicks: the button,
then 登记), the kinds with their intervals."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.core import audit, uploads
from anjian.core.forms import active_value
from anjian.core.permissions import Action, can, require
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, FilteredListView, ServiceFormView, SetActiveView
from anjian.registers import forms, selectors, services
from anjian.registers.choices import DueState
from anjian.registers.models import Equipment, EquipmentKind, EquipmentRecord
from anjian.registers.views.common import DUE_CSS, decorate, may_manage


class EquipmentListView(FilteredListView):
    required_action = Action.REGISTER_VIEW
    template_name = "registers/equipment_list.html"
    filter_form_class = forms.EquipmentFilterForm
    context_object_name = "items"
    paginate_by = 50

    def get_filtered_queryset(self, **f):
        return selectors.equipment_list(
            user=self.request.user,
            q=f.get("q") or "",
            group=f.get("group") or "",
            kind=f.get("kind"),
            state=f.get("state") or "",
            organization=f.get("organization"),
            active=active_value(f.get("active") or ""),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["items"] = decorate(ctx["items"])
        counts = selectors.due_counts(user=self.request.user)
        base = reverse("registers:equipment-list")
        ctx["tiles"] = [
            {"label": s.label, "count": counts[s.value], "css": DUE_CSS[s], "url": f"{base}?state={s.value}"}
            for s in (DueState.OVERDUE, DueState.DUE_SOON, DueState.OK, DueState.UNKNOWN)
        ]
        ctx["may_manage"] = may_manage(self.request.user)
        return ctx


class EquipmentCreateView(ServiceFormView):
    required_action = Action.REGISTER_MANAGE
    form_class = forms.EquipmentForm
    extra_context = {"title": _("登记设备设施")}
    success_message = _("已登记“%(object)s”。")

    def perform(self, form):
        return services.equipment_create(by=self.request.user, data=form.service_data())


class EquipmentEditView(EquipmentCreateView):
    extra_context = {"title": _("修改设备设施")}
    success_message = _("已保存“%(object)s”。")
    form_edits_object = True

    def get_object(self):
        return get_visible_or_404(Equipment, self.request.user, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.equipment_update(by=self.request.user, equipment=self.object, data=form.service_data())


class EquipmentDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.REGISTER_VIEW
    template_name = "registers/equipment_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        item = get_visible_or_404(
            Equipment.objects.select_related("kind", "organization", "risk_point"), user, pk=kwargs["pk"]
        )
        decorate([item])
        links = item.hazard_links.select_related("hazard").order_by("-pk")
        open_hazard = services.open_overdue_hazard(item)
        ctx.update(
            item=item,
            records=EquipmentRecord.objects.filter(equipment=item).select_related("recorded_by"),
            hazards=[link.hazard for link in links],
            open_hazard=open_hazard,
            may_manage=may_manage(user, item),
            may_raise=(
                item.state == DueState.OVERDUE
                and item.is_active
                and open_hazard is None
                and can(user, Action.HAZARD_REPORT)
                and user.organization_id == item.organization_id
            ),
            history=audit.events_for(item, user)[:20],
        )
        return ctx


class _EquipmentMixin:
    def get_object(self):
        return get_visible_or_404(Equipment.objects.select_related("kind"), self.request.user, pk=self.kwargs["pk"])


class EquipmentRecordView(_EquipmentMixin, ServiceFormView):
    required_action = Action.REGISTER_MANAGE
    form_class = forms.RecordForm
    success_message = _("已登记检验维保记录。")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("登记检验维保记录：%(e)s") % {"e": self.object}
        return ctx

    def perform(self, form):
        d = form.cleaned_data
        services.equipment_record(
            by=self.request.user,
            equipment=self.object,
            kind=d["kind"],
            performed_on=d["performed_on"],
            result=d["result"],
            report=d.get("report"),
            agency=d.get("agency", ""),
            report_number=d.get("report_number", ""),
            note=d.get("note", ""),
        )
        return self.object


class EquipmentHazardView(_EquipmentMixin, ServiceFormView):
    """An overdue statutory inspection into the hazard ledger: the form comes filled in, 登记 enters it."""

    required_action = Action.HAZARD_REPORT
    form_class = forms.OverdueHazardForm

    def get_initial(self):
        return services.overdue_proposal(self.object) if self.object.next_due_on else {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("逾期未检登记为隐患：%(e)s") % {"e": self.object}
        ctx["note"] = _("登记后进入隐患台账（来源：设施设备检验），按隐患闭环整改，检验合格后验收销号。")
        return ctx

    def perform(self, form):
        d = form.cleaned_data
        self.hazard = services.equipment_raise_hazard(
            by=self.request.user,
            equipment=self.object,
            title=d["title"],
            description=d.get("description", ""),
            level=d["level"],
        )
        return self.object

    def get_success_message(self) -> str:
        return _("已登记隐患 %(n)s。") % {"n": self.hazard.number}

    def get_success_url(self):
        return reverse("hazards:hazard-detail", args=[self.hazard.pk])


class RecordReportView(ActionRequiredMixin, View):
    required_action = Action.REGISTER_VIEW

    def get(self, request, pk):
        record = get_visible_or_404(EquipmentRecord, request.user, pk=pk)
        return uploads.attachment_response(record.report, record.report_name or "report")


class EquipmentSetActiveView(_EquipmentMixin, SetActiveView):
    required_action = Action.REGISTER_MANAGE
    template_name = "registers/set_active.html"
    consequences = [_("停用后（如已报废、移除），该设备不再计入到期和逾期提醒；检验记录全部保留。")]

    def set_active(self, obj, *, note):
        return services.equipment_set_active(by=self.request.user, equipment=obj, active=self.active, note=note)


class KindListView(ActionRequiredMixin, TemplateView):
    """The kinds and their statutory intervals (shared reference data)."""

    required_action = None  # view or manage (dispatch): the administrator editing the kinds lacks REGISTER_VIEW

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, Action.REGISTER_KIND_MANAGE):
            require(request.user, Action.REGISTER_VIEW)
        return super().dispatch(request, *args, **kwargs)

    template_name = "registers/kind_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["kinds"] = EquipmentKind.objects.all()
        ctx["may_edit"] = can(self.request.user, Action.REGISTER_KIND_MANAGE)
        return ctx


class KindEditView(ServiceFormView):
    required_action = Action.REGISTER_KIND_MANAGE
    form_class = forms.KindForm
    success_message = _("已保存设备种类“%(object)s”。")
    form_edits_object = True

    def get_object(self):
        return get_visible_kind(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("修改设备种类：%(k)s") % {"k": self.object}
        return ctx

    def perform(self, form):
        return services.equipment_kind_update(by=self.request.user, kind=self.object, data=form.service_data())

    def get_success_url(self):
        return reverse("registers:kind-list")


def get_visible_kind(pk):
    kind = EquipmentKind.objects.filter(pk=pk).first()
    if kind is None:
        raise Http404(_("未找到该记录。"))
    return kind
