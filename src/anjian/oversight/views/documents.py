"""The regulator's documents (通报, 督促函, 移交函: drafted, approved by another, issued as a numbered
docx in the notices' layout), what institutions receive of them, and the 隐患曝光台 (proposed,
approved, public, withdrawn)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.uploads import content_disposition
from anjian.core.views import ActionRequiredMixin, AuditedExportMixin, ServiceFormView
from anjian.hazards.models import Hazard
from anjian.oversight import selectors
from anjian.oversight.choices import ApprovalStatus
from anjian.oversight.forms import DecisionForm, DocumentForm, ExposureForm, VoidForm
from anjian.oversight.models import Exposure, RegulatorDocument
from anjian.oversight.services import documents as services
from anjian.reports.docx import DOCX_CONTENT_TYPE, notice_docx


class DocumentListView(ActionRequiredMixin, View):
    required_action = Action.OVERSIGHT_DOCUMENT_DRAFT

    def get(self, request):
        documents = RegulatorDocument.objects.visible_to(request.user).select_related("regulator")[:200]
        exposures = Exposure.objects.visible_to(request.user).select_related("hazard__organization")[:200]
        return render(
            request,
            "oversight/document_list.html",
            {
                "documents": documents,
                "exposures": exposures,
                "may_approve": can(request.user, Action.OVERSIGHT_DOCUMENT_APPROVE),
            },
        )


class DocumentCreateView(ServiceFormView):
    required_action = Action.OVERSIGHT_DOCUMENT_DRAFT
    form_class = DocumentForm
    success_message = _("已拟稿，待审批。")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("拟写监管文书")}

    def perform(self, form):
        d = dict(form.cleaned_data)
        institutions = d.pop("institutions")
        return services.document_draft(by=self.request.user, data=d, institutions=institutions)

    def get_success_url(self):
        return reverse("oversight:document-detail", args=[self.object.pk])


def _document(request, pk) -> RegulatorDocument:
    return get_visible_or_404(RegulatorDocument.objects.select_related("regulator"), request.user, pk=pk)


class DocumentDetailView(ActionRequiredMixin, View):
    required_action = Action.OVERSIGHT_DOCUMENT_DRAFT

    def get(self, request, pk):
        document = _document(request, pk)
        may_decide = (
            document.status == ApprovalStatus.PENDING
            and can(request.user, Action.OVERSIGHT_DOCUMENT_APPROVE)
            and document.drafted_by_id != request.user.pk
        )
        return render(
            request,
            "oversight/document_detail.html",
            {"document": document, "institutions": list(document.institutions.all()), "may_decide": may_decide},
        )


class DocumentDecideView(ServiceFormView):
    required_action = Action.OVERSIGHT_DOCUMENT_APPROVE
    form_class = DecisionForm

    def get_object(self):
        return _document(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("审批：%(t)s") % {"t": self.object.title}}

    def perform(self, form):
        d = form.cleaned_data
        return services.document_decide(
            by=self.request.user, document=self.object, approve=d["decision"] == "approve", note=d.get("note") or ""
        )

    def get_success_url(self):
        return reverse("oversight:document-detail", args=[self.object.pk])


class DocumentDocxView(AuditedExportMixin, ActionRequiredMixin, View):
    required_action = Action.OVERSIGHT_DOCUMENT_DRAFT
    export_label = _("监管文书")

    def get(self, request, pk):
        document = _document(request, pk)
        if document.status != ApprovalStatus.APPROVED:
            raise Http404(_("文书尚未批准印发。"))
        self.export_target = document
        response = HttpResponse(notice_docx(document), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition(f"{document.number}.docx")
        return response


class ExposureProposeView(ServiceFormView):
    required_action = Action.OVERSIGHT_DOCUMENT_DRAFT
    form_class = ExposureForm
    success_message = _("已提出曝光，待审批。")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("提出隐患曝光")}

    def perform(self, form):
        number = form.cleaned_data["hazard_number"].strip().upper()
        hazard = Hazard.objects.visible_to(self.request.user).filter(number=number).first()
        if hazard is None:
            from anjian.core.errors import DomainError

            raise DomainError(_("未找到该编号的隐患。"), field="hazard_number")
        return services.exposure_propose(by=self.request.user, hazard=hazard, problem=form.cleaned_data["problem"])

    def get_success_url(self):
        return reverse("oversight:document-list")


class ExposureDecideView(ServiceFormView):
    required_action = Action.OVERSIGHT_DOCUMENT_APPROVE
    form_class = DecisionForm

    def get_object(self):
        return get_visible_or_404(Exposure, self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("审批曝光：%(t)s") % {"t": self.object.problem}}

    def perform(self, form):
        approve = form.cleaned_data["decision"] == "approve"
        return services.exposure_decide(by=self.request.user, exposure=self.object, approve=approve)

    def get_success_url(self):
        return reverse("oversight:document-list")


class ExposureWithdrawView(ServiceFormView):
    required_action = Action.OVERSIGHT_DOCUMENT_DRAFT
    form_class = VoidForm

    def get_object(self):
        return get_visible_or_404(Exposure, self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("撤下曝光：%(t)s") % {"t": self.object.problem}}

    def perform(self, form):
        return services.exposure_withdraw(
            by=self.request.user, exposure=self.object, reason=form.cleaned_data["reason"]
        )

    def get_success_url(self):
        return reverse("oversight:document-list")


# --- what institutions receive ---------------------------------------------------------------
def _received(request, pk) -> RegulatorDocument:
    try:
        return selectors.documents_received(request.user).get(pk=pk)
    except (RegulatorDocument.DoesNotExist, ValueError) as exc:
        raise Http404(_("未找到该记录。")) from exc


class ReceivedListView(LoginRequiredMixin, View):
    """An institution's received documents: the 通报 to its district or kind, and those naming it."""

    def get(self, request):
        documents = list(selectors.documents_received(request.user)[:200])
        return render(request, "oversight/document_received.html", {"documents": documents})


class ReceivedDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        document = _received(request, pk)
        return render(
            request,
            "oversight/document_detail.html",
            {"document": document, "institutions": list(document.institutions.all()), "received": True},
        )


class ReceivedDocxView(AuditedExportMixin, LoginRequiredMixin, View):
    export_label = _("监管文书")

    def get(self, request, pk):
        document = _received(request, pk)
        self.export_target = document
        response = HttpResponse(notice_docx(document), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition(f"{document.number}.docx")
        return response


def public_exposure(request):
    """The public 隐患曝光台: approved exposures, institution, problem, deadline, status; no person."""
    exposures = (
        Exposure.objects.filter(status=ApprovalStatus.APPROVED)
        .select_related("hazard__organization")
        .order_by("-published_at")[:100]
    )
    return render(request, "oversight/exposure_public.html", {"exposures": exposures})
