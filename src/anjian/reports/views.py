"""Pages of the official forms: the monthly statistics form, the 16号令 analysis table, the three lists
of major hazards, notices (preview, issue, download) and the administrators' templates and topics."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.core.audit import events_for
from anjian.core.errors import DomainError
from anjian.core.permissions import Action
from anjian.core.uploads import protect_download
from anjian.core.views import ActionRequiredMixin, AuditedExportMixin, ServiceFormView
from anjian.core.xlsx import workbook_response
from anjian.hazards import selectors as hazard_selectors
from anjian.hazards.forms import HazardFilterForm
from anjian.hazards.models import Hazard
from anjian.reports import analysis, forms, lists, monthly, selectors, services, workbooks
from anjian.reports.choices import NoticeKind
from anjian.reports.docx import DOCX_CONTENT_TYPE, notice_docx
from anjian.reports.models import StatisticsTopic


class ReportIndexView(ActionRequiredMixin, TemplateView):
    required_action = Action.NOTICE_VIEW
    template_name = "reports/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["notices"] = selectors.notice_list(user=self.request.user)
        return ctx


# --- statistics forms -----------------------------------------------------------------------------
class MonthlyPageView(ActionRequiredMixin, TemplateView):
    reads_from_replica = True  # core.db: heavy reads that tolerate a replica's moment of lag
    required_action = Action.STATISTICS_FORM_VIEW
    template_name = "reports/monthly.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = forms.MonthlyForm(self.request.GET or None, user=self.request.user)
        ctx["form"] = form
        data = form.cleaned_data if form.is_bound and form.is_valid() else getattr(form, "cleaned_data", {})
        # the organization as asked for: another's (or a made-up id) is 404, like the API
        params = {
            "month": data.get("month"),
            "organization": self.request.GET.get("organization") or None,
            "since": data.get("since"),
        }
        params = {k: v for k, v in params.items() if v}
        try:
            result = monthly.monthly_form(user=self.request.user, **params)
        except DomainError as exc:
            form.add_domain_error(exc)
            return ctx
        ctx["result"] = result
        ctx["columns"] = monthly.COLUMNS
        ctx["units"] = monthly.UNIT_ROW
        ctx["rows"] = [
            (row, [(row.values.get(k), k in monthly.RATE_KEYS) for k, _t, _u in monthly.COLUMNS]) for row in result.rows
        ]
        ctx["download_url"] = reverse("api:report-monthly-statistics") + "?" + urlencode(params)
        ctx["json_url"] = reverse("api:report-monthly-statistics") + "?" + urlencode({**params, "format": "json"})
        return ctx


def _analysis(request):
    form = forms.AnalysisForm(request.GET or None, user=request.user)
    period = form.period()
    organization = request.GET.get("organization") or None  # another's is 404, like the API
    table = analysis.analysis_table(user=request.user, organization=organization, period=period)
    return form, table


class AnalysisPageView(ActionRequiredMixin, TemplateView):
    reads_from_replica = True  # core.db: heavy reads that tolerate a replica's moment of lag
    required_action = Action.STATISTICS_FORM_VIEW
    template_name = "reports/analysis.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            form, table = _analysis(self.request)
        except DomainError as exc:
            form = forms.AnalysisForm(self.request.GET or None, user=self.request.user)
            form.is_valid()
            form.add_domain_error(exc)
            ctx["form"] = form
            return ctx
        ctx["form"] = form
        ctx["table"] = table
        ctx["columns"] = analysis.COLUMNS
        ctx["rows"] = [
            (row, [(row.values.get(k), k in analysis.RATE_KEYS) for k, _t in analysis.COLUMNS]) for row in table.rows
        ]
        query = self.request.GET.urlencode()
        if not self.request.GET.get("organization"):
            query = urlencode({**self.request.GET.dict(), "organization": table.organization.pk})
        ctx["download_url"] = reverse("reports:analysis-export") + "?" + query
        return ctx


class AnalysisExportView(AuditedExportMixin, ActionRequiredMixin, View):
    required_action = Action.STATISTICS_FORM_VIEW
    export_label = _("统计分析表")

    def get(self, request):
        try:
            _form, table = _analysis(request)
        except DomainError as exc:
            return HttpResponse(str(exc.message), status=400, content_type="text/plain; charset=utf-8")
        self.export_target = table.organization
        self.export_rows = len(table.rows)
        wb = workbooks.analysis_workbook(table, filled_by=request.user.name)
        return workbook_response(wb, f"{table.organization.name}_{table.title}.xlsx")


class MajorListsExportView(AuditedExportMixin, ActionRequiredMixin, View):
    """隐患清单 / 责任清单 / 措施清单 of the major hazards the ledger's filters select."""

    required_action = Action.HAZARD_EXPORT
    export_label = _("重大事故隐患三个清单")

    def get(self, request):
        form = HazardFilterForm(request.GET, user=request.user)
        qs = hazard_selectors.hazard_list(user=request.user, filters=form.to_selector())
        return lists.lists_response(qs)


# --- notices --------------------------------------------------------------------------------------
class NoticeCreateView(ServiceFormView):
    """The notice as it would read if issued now, and the button that issues it (once); a notice
    already issued is linked instead."""

    required_action = Action.NOTICE_VIEW
    template_name = "reports/notice_new.html"
    form_class = forms.NoticeIssueForm

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in NoticeKind.values:
            raise Http404(_("未找到该文书种类。"))
        return super().dispatch(request, *args, **kwargs)

    def setup_object(self):
        self.target = selectors.notice_target(kind=self.kwargs["kind"], pk=self.kwargs["pk"], user=self.request.user)
        self.object = None  # the notice, once issued

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kind = self.kwargs["kind"]
        kwargs["ask_deadline"] = services.deadline_asked(kind, self.target)
        kwargs["deadline_required"] = services.deadline_required(kind, self.target, self.request.user.organization)
        return kwargs

    def perform(self, form):
        return services.notice_issue(
            kind=self.kwargs["kind"],
            target=self.target,
            by=self.request.user,
            deadline=form.cleaned_data.get("deadline"),
        )

    def get_success_message(self):
        return _("已出具%(title)s：%(number)s") % {"title": self.object.title, "number": self.object.number}

    def get_success_url(self):
        return reverse("reports:notice-detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        kind, target = self.kwargs["kind"], self.target
        ctx["kind"] = NoticeKind(kind)
        ctx["target"] = target
        ctx["existing"] = services.existing_notice(kind, target)
        if ctx["existing"] is not None:
            ctx["may_reissue"] = services.may_reissue(ctx["existing"], self.request.user)
        if isinstance(target, Hazard):
            ctx["back_url"] = reverse("hazards:hazard-detail", args=[target.pk])
        else:
            ctx["back_url"] = reverse("inspections:supervision-list")
        if ctx["existing"] is None:
            form = ctx["form"]
            deadline = form.cleaned_data.get("deadline") if form.is_bound and hasattr(form, "cleaned_data") else None
            try:
                ctx["preview"] = services.notice_preview(
                    kind=kind, target=target, by=self.request.user, deadline=deadline
                )
            except (DomainError, PermissionDenied) as exc:
                ctx["refusal"] = getattr(exc, "message", None) or str(exc)
        return ctx


class NoticeDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.NOTICE_VIEW
    template_name = "reports/notice_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        notice = selectors.notice_get(user=self.request.user, pk=self.kwargs["pk"])
        ctx["notice"] = notice
        ctx["versions"] = selectors.notice_versions(notice)
        ctx["successor"] = next((v for v in ctx["versions"] if v.replaces_id == notice.pk), None)
        ctx["current"] = next((v for v in ctx["versions"] if v.is_current), None)
        ctx["may_reissue"] = services.may_reissue(notice, self.request.user)
        ctx["events"] = events_for(notice, self.request.user)[:20]
        return ctx


class NoticeReissueView(ServiceFormView):
    """Issue the current notice again as its next version, with a reason (and a new deadline)."""

    required_action = Action.NOTICE_VIEW
    template_name = "reports/notice_reissue.html"
    form_class = forms.NoticeReissueForm

    def get_object(self):
        return selectors.notice_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["ask_deadline"] = self.object.kind == NoticeKind.RECTIFICATION
        return kwargs

    def get_initial(self):
        deadline = self.object.deadline or (self.object.hazard.deadline if self.object.hazard_id else None)
        return {"deadline": deadline}

    def perform(self, form):
        d = form.cleaned_data
        return services.notice_reissue(
            notice=self.object, by=self.request.user, reason=d["reason"], deadline=d.get("deadline")
        )

    def get_success_message(self):
        return _("已重新出具%(title)s（第%(v)s版）：%(number)s") % {
            "title": self.object.title,
            "v": self.object.version,
            "number": self.object.number,
        }

    def get_success_url(self):
        return reverse("reports:notice-detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["notice"] = self.object
        ctx["may_reissue"] = services.may_reissue(self.object, self.request.user)
        return ctx


class NoticeDownloadView(AuditedExportMixin, ActionRequiredMixin, View):
    """The notice as issued, a Word document; an earlier version is marked as replaced. Sent as a
    download the browser does not sniff (``core.uploads.protect_download``)."""

    required_action = Action.NOTICE_VIEW
    export_label = _("通知书")

    def get(self, request, pk: int):
        notice = selectors.notice_get(user=request.user, pk=pk)
        self.export_target = notice
        response = HttpResponse(notice_docx(notice), content_type=DOCX_CONTENT_TYPE)
        version = f"_第{notice.version}版" if notice.version > 1 or not notice.is_current else ""
        name = f"{notice.title}_{notice.organization.name}_{notice.number}{version}.docx"
        return protect_download(response, name)


# --- administrators: templates and topics ---------------------------------------------------------
class TemplateListView(ActionRequiredMixin, TemplateView):
    required_action = Action.NOTICE_TEMPLATE_MANAGE
    template_name = "reports/templates.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["templates"] = [selectors.template_current(kind) for kind in NoticeKind.values]
        ctx["topics"] = selectors.topic_list()
        return ctx


class TemplateEditView(ServiceFormView):
    required_action = Action.NOTICE_TEMPLATE_MANAGE
    template_name = "reports/template_edit.html"
    form_class = forms.NoticeTemplateForm

    def get_object(self):
        if self.kwargs["kind"] not in NoticeKind.values:
            raise Http404(_("未找到该文书种类。"))
        return selectors.template_current(self.kwargs["kind"])

    def get_initial(self):
        return forms.NoticeTemplateForm.initial_for(self.object)

    def perform(self, form):
        return services.notice_template_save(kind=self.kwargs["kind"], by=self.request.user, data=form.cleaned_data)

    def get_success_message(self):
        return _("已保存%(object)s。") % {"object": self.object}

    def get_success_url(self):
        return reverse("reports:template-list")

    def get_context_data(self, **kwargs):
        from anjian.reports.placeholders import NAMES

        ctx = super().get_context_data(**kwargs)
        ctx["placeholders"] = NAMES[self.kwargs["kind"]]
        ctx["versions"] = selectors.template_versions(self.kwargs["kind"])
        return ctx


class TopicFormView(ServiceFormView):
    required_action = Action.NOTICE_TEMPLATE_MANAGE
    template_name = "reports/topic_form.html"
    form_class = forms.TopicForm
    form_edits_object = True

    def get_object(self):
        return get_object_or_404(StatisticsTopic, pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def perform(self, form):
        if self.object is None:
            return services.topic_create(by=self.request.user, data=form.service_data())
        return services.topic_update(topic=self.object, by=self.request.user, data=form.service_data())

    def get_success_message(self):
        return _("已保存统计专题“%(object)s”。") % {"object": self.object}

    def get_success_url(self):
        return reverse("reports:template-list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.object is not None:
            ctx["events"] = events_for(self.object, self.request.user, shared=True)[:50]
        return ctx
