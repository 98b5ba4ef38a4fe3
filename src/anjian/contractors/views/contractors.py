"""Pages of the contractor register: the list, a contractor with its certificates, agreements,
workers (ID numbers masked) and evaluations, and the forms that add them; the kinds of work."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.contractors import exports, forms, rules, selectors, services
from anjian.contractors.models import Contractor, PermitKind, Qualification, SafetyAgreement, Worker
from anjian.core import audit
from anjian.core.forms import active_value
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.uploads import attachment_response
from anjian.core.views import (
    ActionRequiredMixin,
    AuditedExportMixin,
    FilteredListView,
    ServiceFormView,
    SetActiveView,
)


def may_manage(user, contractor: Contractor) -> bool:
    return can(user, Action.CONTRACTOR_MANAGE) and contractor.organization_id == user.organization_id


class ContractorListView(FilteredListView):
    required_action = Action.CONTRACTOR_VIEW
    template_name = "contractors/contractor_list.html"
    filter_form_class = forms.ContractorFilterForm
    context_object_name = "contractors"

    def get_filtered_queryset(self, **filters):
        return selectors.contractor_list(
            user=self.request.user, q=filters.get("q") or "", active=active_value(filters.get("active") or "")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["expiring"] = selectors.expiring_documents(user=self.request.user)[:20]
        return ctx


class ContractorCreateView(ServiceFormView):
    required_action = Action.CONTRACTOR_MANAGE
    form_class = forms.ContractorForm
    extra_context = {"title": _("登记相关方单位")}
    success_message = _("已登记相关方“%(object)s”，请继续登记安全生产管理协议和资质证书。")

    def perform(self, form):
        return services.contractor_create(by=self.request.user, data=form.service_data())


class ContractorEditView(ContractorCreateView):
    extra_context = {"title": _("修改相关方单位")}
    success_message = _("已保存相关方“%(object)s”。")
    form_edits_object = True

    def get_object(self):
        return get_visible_or_404(Contractor, self.request.user, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.contractor_update(by=self.request.user, contractor=self.object, data=form.service_data())


class ContractorSetActiveView(SetActiveView):
    required_action = Action.CONTRACTOR_MANAGE
    template_name = "contractors/set_active.html"
    consequences = [_("停用后，该相关方不能再办理新的作业票；已有记录全部保留。")]

    def get_object(self):
        return get_visible_or_404(Contractor, self.request.user, pk=self.kwargs["pk"])

    def set_active(self, obj, *, note):
        return services.contractor_set_active(by=self.request.user, contractor=obj, active=self.active, note=note)


class ContractorDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.CONTRACTOR_VIEW
    template_name = "contractors/contractor_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        contractor = selectors.contractor_get(user=user, pk=kwargs["pk"])
        ctx.update(
            contractor=contractor,
            blockers=rules.contractor_blockers(contractor),
            permits=list(selectors.permit_list(user=user, contractor=contractor)[:20]),
            may_manage=may_manage(user, contractor),
            events=audit.events_for(contractor, user)[:20],
        )
        return ctx


class _ContractorPartView(ServiceFormView):
    """A form that adds something to one contractor; back to the contractor's page."""

    required_action = Action.CONTRACTOR_MANAGE

    def get_object(self):
        return get_visible_or_404(Contractor, self.request.user, pk=self.kwargs["pk"])

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["note"] = str(self.object)
        return ctx


class QualificationAddView(_ContractorPartView):
    form_class = forms.QualificationForm
    extra_context = {"title": _("登记资质证书")}
    success_message = _("已登记资质证书。")

    def perform(self, form):
        d = dict(form.cleaned_data)
        file = d.pop("file", None)
        services.qualification_add(by=self.request.user, contractor=self.object, data=d, file=file)
        return self.object


class QualificationRetireView(ServiceFormView):
    """Retire a certificate (replaced, withdrawn, entered by mistake), with the reason."""

    required_action = Action.CONTRACTOR_MANAGE
    form_class = forms.ReasonForm
    extra_context = {"title": _("停用相关方资质证书")}
    success_message = _("已停用“%(object)s”。")

    def get_object(self):
        return get_visible_or_404(
            Qualification.objects.select_related("contractor"), self.request.user, pk=self.kwargs["pk"]
        )

    def get_success_url(self):
        return self.object.contractor.get_absolute_url()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["note"] = f"{self.object.contractor} · {self.object}"
        return ctx

    def perform(self, form):
        return services.qualification_retire(
            by=self.request.user, qualification=self.object, reason=form.cleaned_data["reason"]
        )


class AgreementAddView(_ContractorPartView):
    form_class = forms.AgreementForm
    extra_context = {"title": _("登记安全生产管理协议")}
    success_message = _("已登记安全生产管理协议。")

    def perform(self, form):
        d = dict(form.cleaned_data)
        file = d.pop("file", None)
        services.agreement_add(by=self.request.user, contractor=self.object, data=d, file=file)
        return self.object


class AgreementFileView(ActionRequiredMixin, View):
    required_action = Action.CONTRACTOR_VIEW

    def get(self, request, pk):
        agreement = get_visible_or_404(SafetyAgreement.objects.select_related("contractor"), request.user, pk=pk)
        if not agreement.file:
            raise Http404(_("文件不存在。"))
        extension = agreement.file.name.rsplit(".", 1)[-1] if "." in agreement.file.name else ""
        return attachment_response(agreement.file, f"{agreement.title}.{extension}")


class WorkerAddView(_ContractorPartView):
    form_class = forms.WorkerForm
    extra_context = {"title": _("登记作业人员")}
    success_message = _("已登记作业人员。")

    def perform(self, form):
        services.worker_add(by=self.request.user, contractor=self.object, data=dict(form.cleaned_data))
        return self.object


class WorkerEditView(ServiceFormView):
    required_action = Action.CONTRACTOR_MANAGE
    form_class = forms.WorkerEditForm
    extra_context = {"title": _("修改作业人员")}
    success_message = _("已保存作业人员“%(object)s”。")

    def get_object(self):
        return get_visible_or_404(Worker.objects.select_related("contractor"), self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        w = self.object
        return {
            "work_type": w.work_type,
            "certificate": w.certificate,
            "certificate_expires_on": w.certificate_expires_on,
            "briefed_on": w.briefed_on,
            "is_active": w.is_active,
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["note"] = str(self.object)
        return ctx

    def perform(self, form):
        return services.worker_update(by=self.request.user, worker=self.object, data=dict(form.cleaned_data))

    def get_success_url(self):
        return self.object.contractor.get_absolute_url()


class EvaluationAddView(_ContractorPartView):
    form_class = forms.EvaluationForm
    extra_context = {"title": _("评价相关方")}
    success_message = _("已登记评价。")

    def perform(self, form):
        d = form.cleaned_data
        services.contractor_evaluate(
            by=self.request.user, contractor=self.object, job=d["job"], score=d["score"], comment=d["comment"]
        )
        return self.object


class WorkerExportView(AuditedExportMixin, ActionRequiredMixin, View):
    """The roster of the contractors' workers the user may see, as xlsx (ID numbers masked)."""

    required_action = Action.CONTRACTOR_VIEW
    export_label = _("相关方作业人员花名册")

    def get(self, request):
        workers = list(selectors.worker_list(user=request.user))
        self.export_rows = len(workers)
        return exports.worker_roster_response(workers)


class KindListView(ActionRequiredMixin, TemplateView):
    required_action = Action.WORK_PERMIT_VIEW
    template_name = "contractors/kind_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["kinds"] = selectors.kind_list(active=None)
        return ctx


class KindEditView(ServiceFormView):
    required_action = Action.WORK_PERMIT_KIND_MANAGE
    form_class = forms.KindForm
    extra_context = {"title": _("修改危险作业类别")}
    success_message = _("已保存作业类别“%(object)s”。")
    form_edits_object = True

    def get_object(self):
        try:
            return PermitKind.objects.get(pk=self.kwargs["pk"])
        except PermitKind.DoesNotExist as exc:
            raise Http404(_("未找到该记录。")) from exc

    def perform(self, form):
        return services.permit_kind_update(by=self.request.user, kind=self.object, data=form.service_data())

    def get_success_url(self):
        return reverse("contractors:kind-list")
