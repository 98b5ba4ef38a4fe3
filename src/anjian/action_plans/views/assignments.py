"""Assignments: 我的任务 (a unit) or the jurisdiction's (a regulator), one assignment with its progress,
reporting progress, the regulator's review one by one or many at once, the reports' attachments."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.action_plans import forms, selectors, services, workflow
from anjian.action_plans.choices import AssignmentStatus, ReviewState
from anjian.action_plans.models import ProgressAttachment
from anjian.action_plans.views.common import is_regulator
from anjian.core import uploads
from anjian.core.audit import events_for
from anjian.core.idempotency import IdempotentFormMixin
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, ServiceFormView

STATE_TABS = [
    ("", _("全部")),
    ("overdue", _("已逾期")),
    ("soon", _("30天内到期")),
    ("report_due", _("待报进展")),
    ("pending", _("待审核")),
    (AssignmentStatus.NOT_STARTED, _("未开始")),
    (AssignmentStatus.IN_PROGRESS, _("推进中")),
    (AssignmentStatus.DONE, _("已完成")),
]


class AssignmentListView(ActionRequiredMixin, TemplateView):
    """我的任务 (a unit) or every assignment of the jurisdiction (a regulator), by state."""

    required_action = Action.PLAN_VIEW
    template_name = "action_plans/assignment_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        state = self.request.GET.get("state", "")
        state = state if state in dict(STATE_TABS) else ""
        q = self.request.GET.get("q", "")[:100]
        plan = None
        if self.request.GET.get("plan", "").isdigit():  # from a plan's dispatch page: its assignments only
            plan = selectors.plan_get(user=user, pk=int(self.request.GET["plan"]))
        qs = selectors.assignment_list(user=user, state=state, q=q, plan=plan)
        page = Paginator(qs, self.paginate_by).get_page(self.request.GET.get("page"))
        ctx.update(
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            object_list=page.object_list,
            state=state,
            q=q,
            plan=plan,
            tabs=[{"value": v, "label": label, "active": v == state} for v, label in STATE_TABS],
            show_organization=is_regulator(user) or user.organization is None,
            can_review=can(user, Action.PLAN_REVIEW) and is_regulator(user),
        )
        return ctx


class AssignmentDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.PLAN_VIEW
    template_name = "action_plans/assignment_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        a = selectors.assignment_get(user=user, pk=kwargs["pk"])
        allowed = workflow.allowed_actions(a, user)
        ctx.update(
            assignment=a,
            task=a.task,
            reports=list(selectors.reports_of(a)),
            can_report="report" in allowed,
            can_review="accept" in allowed or "return" in allowed,
            pending=a.review_state == ReviewState.PENDING,
            events=events_for(a, user)[:50],
        )
        return ctx


class AssignmentReportView(IdempotentFormMixin, ServiceFormView):
    required_action = Action.PLAN_REPORT
    template_name = "action_plans/assignment_form.html"
    form_class = forms.ProgressForm

    def get_object(self):
        return selectors.assignment_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        return {"reported_on": timezone.localdate(), "result_form": self.object.task.result_form}

    def perform(self, form):
        d = form.cleaned_data
        services.progress_report(
            by=self.request.user,
            assignment=self.object,
            text=d["text"],
            reported_on=d["reported_on"],
            result_form=d["result_form"],
            claims_done=d["claims_done"],
            attachments=d.get("attachments") or [],
        )
        return self.object

    success_message = _("已报告进展。")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(assignment=self.object, heading=_("报告进展"), multipart=True, button=_("提交进展"))
        return ctx


class AssignmentReviewView(ServiceFormView):
    required_action = Action.PLAN_REVIEW
    template_name = "action_plans/assignment_form.html"
    form_class = forms.ReviewForm

    def get_object(self):
        return selectors.assignment_get(user=self.request.user, pk=self.kwargs["pk"])

    def perform(self, form):
        d = form.cleaned_data
        return services.assignment_review(
            by=self.request.user, assignment=self.object, accept=d["decision"] == "accept", comment=d["comment"]
        )

    success_message = _("已审核。")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            assignment=self.object,
            heading=_("审核进展"),
            button=_("提交审核"),
            reports=list(selectors.reports_of(self.object)[:3]),
        )
        return ctx


class AttachmentView(ActionRequiredMixin, View):
    """A progress report's attachment, to those who may see the report, always as a download that
    the browser neither renders nor sniffs (``core.uploads.attachment_response``)."""

    required_action = Action.PLAN_VIEW

    def get(self, request, pk):
        attachment = get_visible_or_404(ProgressAttachment, request.user, pk=pk)
        return uploads.attachment_response(attachment.file, attachment.name)


# --- bulk review ---------------------------------------------------------------------------------
class AssignmentBulkReviewView(ServiceFormView):
    """The regulator's review queue: tick the claims of done to confirm (or send back) at once."""

    required_action = Action.PLAN_REVIEW
    template_name = "action_plans/assignment_bulk_review.html"
    form_class = forms.BulkReviewForm

    def get_object(self):
        if not is_regulator(self.request.user):
            raise Http404
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["assignments"] = selectors.pending_reviews(user=self.request.user)
        return kwargs

    def perform(self, form):
        d = form.cleaned_data
        accept = d["decision"] == "accept"
        self.count = services.assignment_bulk_review(
            by=self.request.user, assignments=list(d["assignments"]), accept=accept, comment=d["comment"]
        )
        self.accept = accept
        return None

    def get_success_message(self):
        if self.accept:
            return _("已确认完成 %(n)s 项任务。") % {"n": self.count}
        return _("已退回 %(n)s 项任务。") % {"n": self.count}

    def get_success_url(self):
        return reverse("action_plans:assignment-bulk-review")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        selected = {str(v) for v in form.data.getlist("assignments")} if form.is_bound else set()
        items = list(form.fields["assignments"].queryset[:200])
        for a in items:
            a.latest = next(iter(a.reports.all()), None)
        ctx.update(items=items, selected=selected, heading=_("批量审核进展"))
        return ctx
