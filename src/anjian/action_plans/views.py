"""The pages: plans and their import, a task, an assignment with its progress and review, the
dispatch matrix, the timeline, a unit's page, the exports, and periodic reports."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.action_plans import due, exports, figures, forms, selectors, services, workflow
from anjian.action_plans.choices import AssignmentStatus, ReviewState, SubmissionStatus
from anjian.action_plans.models import ProgressAttachment, Task, UnitGroup
from anjian.core import uploads
from anjian.core.audit import events_for
from anjian.core.idempotency import IdempotentFormMixin
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, AuditedExportMixin, ServiceFormView, SetActiveView


def _is_regulator(user) -> bool:
    return bool(user.organization and user.organization.is_regulator)


class PlanListView(ActionRequiredMixin, TemplateView):
    required_action = Action.PLAN_VIEW
    template_name = "action_plans/plan_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["q"] = self.request.GET.get("q", "")[:100]
        ctx["inactive"] = self.request.GET.get("inactive") == "1"
        ctx["plans"] = list(selectors.plan_list(user=user, q=ctx["q"], include_inactive=ctx["inactive"])[:200])
        ctx["is_regulator"] = _is_regulator(user)
        return ctx


class PlanImportView(ServiceFormView):
    required_action = Action.PLAN_MANAGE
    template_name = "action_plans/plan_import.html"
    form_class = forms.ImportUploadForm

    def perform(self, form):
        f = form.cleaned_data["file"]
        return services.plan_import_preview(by=self.request.user, file=f, name=f.name)

    def get_success_url(self):
        return reverse("action_plans:plan-import-preview", args=[self.object.pk])


class PlanCreateView(ServiceFormView):
    """A plan typed in by hand (its tasks added one by one); most plans come by import."""

    required_action = Action.PLAN_MANAGE
    template_name = "core/form.html"
    form_class = forms.PlanCreateForm

    def perform(self, form):
        return services.plan_create(by=self.request.user, data=form.cleaned_data)

    success_message = _("已新建任务清单，请添加任务。")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["heading"] = _("新建任务清单")
        ctx["cancel_url"] = reverse("action_plans:plan-list")
        return ctx


class TaskCreateView(ServiceFormView):
    required_action = Action.PLAN_MANAGE
    template_name = "core/form.html"
    form_class = forms.TaskCreateForm

    def get_object(self):
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def perform(self, form):
        d = dict(form.cleaned_data)
        services.task_create(
            by=self.request.user,
            plan=self.object,
            data=d,
            action_title=d.pop("action_title", ""),
            unit_groups=list(d.pop("unit_groups", [])),
            named_units=list(d.pop("named_units", [])),
        )
        return self.object

    success_message = _("已新增任务。")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["heading"] = _("新增任务")
        ctx["cancel_url"] = self.object.get_absolute_url()
        return ctx


class PlanImportTemplateView(ActionRequiredMixin, View):
    required_action = Action.PLAN_MANAGE

    def get(self, request):
        return exports.template_response()


class PlanImportPreviewView(ServiceFormView):
    """The parsed table as it would be stored, problems first; confirming stores it."""

    required_action = Action.PLAN_MANAGE
    template_name = "action_plans/plan_import_preview.html"
    form_class = forms.ImportConfirmForm

    def get_object(self):
        draft = selectors.draft_get(user=self.request.user, pk=self.kwargs["pk"])
        if draft.plan_id:
            raise Http404(_("这份导入已经确认过了。"))
        return draft

    def get_initial(self):
        return {"title": self.object.title}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["problems"] = self.object.parsed.get("problems", [])
        return kwargs

    def perform(self, form):
        d = form.cleaned_data
        return services.plan_import_confirm(
            by=self.request.user,
            draft=self.object,
            title=d["title"],
            document_number=d["document_number"],
            fixes=form.fixes(),
        )

    def get_success_message(self):
        return _("已导入任务清单“%(t)s”。") % {"t": self.object.title}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        draft = self.object
        ctx["draft"] = draft
        counts = services.draft_counts(draft)
        ctx["tasks"] = [{**t, "assign_count": counts.get(t["number"], 0)} for t in draft.parsed.get("tasks", [])]
        ctx["problems"] = draft.parsed.get("problems", [])
        ctx["past_deadlines"] = selectors.draft_past_deadlines(draft)
        ctx["groups"] = UnitGroup.objects.all()
        return ctx


class PlanDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.PLAN_VIEW
    template_name = "action_plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        plan = selectors.plan_get(user=user, pk=kwargs["pk"])
        tasks = list(selectors.task_list(user=user, plan=plan))
        groups = []
        for task in tasks:
            if not groups or groups[-1]["action"] != task.action:
                groups.append({"action": task.action, "tasks": []})
            groups[-1]["tasks"].append(task)
        ctx.update(
            plan=plan,
            groups=groups,
            task_count=len(tasks),
            unclear=sum(1 for t in tasks if t.deadline_unclear),
            can_manage=can(user, Action.PLAN_MANAGE) and _is_regulator(user),
            events=events_for(plan, user)[:50],
        )
        return ctx


class PlanUpdateView(ServiceFormView):
    required_action = Action.PLAN_MANAGE
    template_name = "core/form.html"
    form_class = forms.PlanForm

    def get_object(self):
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def perform(self, form):
        return services.plan_update(by=self.request.user, plan=self.object, data=form.service_data())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["heading"] = _("编辑任务清单")
        ctx["cancel_url"] = self.object.get_absolute_url()
        return ctx


class PlanSetActiveView(SetActiveView):
    required_action = Action.PLAN_MANAGE
    template_name = "action_plans/set_active.html"

    def get_object(self):
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def set_active(self, obj, *, note):
        return services.plan_set_active(by=self.request.user, plan=obj, active=self.active, note=note)

    def get_consequences(self):
        if self.active:
            return [_("启用后，各责任单位的“我的任务”中重新出现本清单的任务。")]
        return [
            _("停用后，本清单不再出现在清单列表和各单位的“我的任务”中；任务、进展和操作记录全部保留，可随时重新启用。")
        ]


def matrix_filters(request) -> tuple:
    """The matrix's filter form and the selector's arguments (invalid values dropped)."""
    form = forms.MatrixFilterForm(request.GET, user=request.user)
    filters = form.filters()
    return form, {"q": filters.get("q") or "", "district": filters.get("district"), "state": filters.get("state") or ""}


def matrix_rows(matrix) -> list[tuple]:
    """Each task with its row of cells as HTML, built here once per cell: the 1,500 badges of a
    page through the template language cost more than all the queries of the page."""
    names = {u.pk: escape(u.name) for u in matrix.units}
    labels: dict[str, tuple[str, str]] = {}
    empty = '<td class="text-center p-1"></td>'
    colon = escape(_("："))
    rows = []
    for task, cells in matrix.rows():
        parts = []
        for unit, cell in zip(matrix.units, cells, strict=True):
            if cell is None:
                parts.append(empty)
                continue
            if cell.status_label not in labels:
                labels[cell.status_label] = (escape(cell.status_label), escape(cell.status_label[:1]))
            label, letter = labels[cell.status_label]
            name = names[unit.pk]
            parts.append(
                f'<td class="text-center p-1"><a href="{cell.url}" class="badge bg-{cell.colour} text-white '
                f'd-inline-block" style="min-width:1.6rem" title="{name}{colon}{label}" data-cell="{name}" '
                f'data-status="{label}">{letter}</a></td>'
            )
        rows.append((task, mark_safe("".join(parts))))  # noqa: S308 (every value above is escaped)
    return rows


class PlanMatrixView(ActionRequiredMixin, TemplateView):
    """调度: tasks × units in colour; late tasks and late units first, a page of units at a time,
    with the totals of all the units selected (by name, district, state) and a row per district."""

    required_action = Action.PLAN_VIEW
    template_name = "action_plans/plan_matrix.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = selectors.plan_get(user=self.request.user, pk=kwargs["pk"])
        ctx["plan"] = plan
        form, filters = matrix_filters(self.request)
        try:
            matrix = selectors.plan_matrix(
                user=self.request.user, plan=plan, page=self.request.GET.get("page") or 1, **filters
            )
        except InvalidPage:
            raise Http404 from None
        ctx["matrix"] = matrix
        ctx["matrix_rows"] = matrix_rows(matrix)
        ctx["filter_form"] = form
        ctx["is_filtered"] = form.is_filtered()
        ctx["page_obj"] = matrix.page_obj
        ctx["paginator"] = matrix.page_obj.paginator
        ctx["is_paginated"] = matrix.page_obj.has_other_pages()
        org = self.request.user.organization
        ctx["reminders_own"] = org is not None and org.is_institution
        ctx["reminders"] = selectors.reminders(user=self.request.user, plan=plan, limit=10, reports=False)
        return ctx


class PlanMatrixExportView(AuditedExportMixin, ActionRequiredMixin, View):
    """The matrix of every unit the filters select (all pages) as xlsx, streamed."""

    required_action = Action.PLAN_VIEW
    export_label = _("任务调度表")

    def get(self, request, pk):
        plan = self.export_target = selectors.plan_get(user=request.user, pk=pk)
        _form, filters = matrix_filters(request)
        return exports.matrix_response(plan=plan, user=request.user, **filters)


class PlanTimelineView(ActionRequiredMixin, TemplateView):
    """挂图作战: the deadlines month by month."""

    required_action = Action.PLAN_VIEW
    template_name = "action_plans/plan_timeline.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = selectors.plan_get(user=self.request.user, pk=kwargs["pk"])
        ctx["plan"] = plan
        ctx["months"] = selectors.plan_timeline(user=self.request.user, plan=plan)
        return ctx


class PlanExportView(AuditedExportMixin, ActionRequiredMixin, View):
    """The task list with its progress, in the layout of seed 004's attachment 1."""

    required_action = Action.PLAN_VIEW
    export_label = _("任务清单及进展")

    def get(self, request, pk):
        plan = self.export_target = selectors.plan_get(user=request.user, pk=pk)
        return exports.plan_response(plan=plan, user=request.user)


class PlanDocumentView(ActionRequiredMixin, View):
    """The plan's attached document, served only to those who may see the plan."""

    required_action = Action.PLAN_VIEW

    def get(self, request, pk):
        plan = selectors.plan_get(user=request.user, pk=pk)
        if not plan.document:
            raise Http404(_("该方案没有上传原文。"))
        return uploads.attachment_response(plan.document, plan.document.name.rsplit("/", 1)[-1])


class TaskDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.PLAN_VIEW
    template_name = "action_plans/task_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        task = selectors.task_get(user=user, pk=kwargs["pk"])
        ctx["task"] = task
        ctx["plan"] = task.plan
        ctx["assignments"] = list(selectors.assignment_list(user=user).filter(task=task))
        ctx["can_manage"] = can(user, Action.PLAN_MANAGE) and _is_regulator(user)
        return ctx


class TaskUpdateView(ServiceFormView):
    required_action = Action.PLAN_MANAGE
    template_name = "core/form.html"
    form_class = forms.TaskForm

    def get_object(self):
        return selectors.task_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def perform(self, form):
        return services.task_update(by=self.request.user, task=self.object, data=form.service_data())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["heading"] = _("编辑任务 %(n)s") % {"n": self.object.number}
        ctx["cancel_url"] = self.object.get_absolute_url()
        if self.object.deadline_unclear:
            ctx["note"] = _("导入时未能识别完成时限“%(t)s”，请填写日期或勾选长期坚持。") % {
                "t": self.object.deadline_text
            }
        return ctx


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
            show_organization=_is_regulator(user) or user.organization is None,
            can_review=can(user, Action.PLAN_REVIEW) and _is_regulator(user),
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


class UnitDetailView(ActionRequiredMixin, TemplateView):
    """One responsible unit: its assignments across plans, late first, and its reports."""

    required_action = Action.PLAN_VIEW
    template_name = "action_plans/unit_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        unit = selectors.unit_get(user=user, pk=kwargs["pk"])
        assignments = list(selectors.assignment_list(user=user, organization=unit))
        today = timezone.localdate()
        assignments.sort(key=lambda a: (not a.is_overdue(today), a.status == AssignmentStatus.DONE))
        counts = {"total": len(assignments), "late": sum(1 for a in assignments if a.is_overdue(today))}
        counts["done"] = sum(1 for a in assignments if a.status == AssignmentStatus.DONE)
        ctx.update(
            unit=unit,
            assignments=assignments,
            counts=counts,
            submissions=list(selectors.submission_list(user=user).filter(organization=unit)[:24]),
        )
        return ctx


# --- periodic reports ----------------------------------------------------------------------------
class ReportListView(ActionRequiredMixin, TemplateView):
    required_action = Action.REPORT_VIEW
    template_name = "action_plans/report_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        rows = []
        for d in selectors.report_definition_list(user=user):
            period = due.current_period(d, today)
            rows.append(
                {
                    "definition": d,
                    "period": due.period_label(period, d.frequency),
                    "due": due.definition_due_date(d, period),
                }
            )
        ctx["rows"] = rows
        ctx["due_reports"] = selectors.report_reminders(user=user, today=today)
        ctx["can_manage"] = can(user, Action.REPORT_MANAGE) and _is_regulator(user)
        return ctx

    def post(self, request, *args, **kwargs):
        """Add the two example reports (Putuo's and Jilin's) to the regulator's own."""
        from anjian.action_plans.defaults import ensure_report_examples

        if not (can(request.user, Action.REPORT_MANAGE) and _is_regulator(request.user)):
            raise Http404
        ensure_report_examples(request.user.organization, by=request.user)
        messages.success(request, _("已添加示例报表。"))
        return HttpResponseRedirect(reverse("action_plans:report-list"))


class ReportCreateView(ServiceFormView):
    required_action = Action.REPORT_MANAGE
    template_name = "core/form.html"
    form_class = forms.ReportDefinitionForm

    def perform(self, form):
        return services.report_definition_create(
            by=self.request.user,
            organization=self.request.user.organization,
            data=form.service_data(),
            unit_groups=form.cleaned_data["unit_groups"],
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["heading"] = _("新建报表")
        ctx["cancel_url"] = reverse("action_plans:report-list")
        return ctx


class ReportUpdateView(ServiceFormView):
    """Change a report's fields, due rule or the units that owe it (submissions already made keep
    their values)."""

    required_action = Action.REPORT_MANAGE
    template_name = "core/form.html"
    form_class = forms.ReportDefinitionForm

    def get_object(self):
        definition = selectors.report_definition_get(user=self.request.user, pk=self.kwargs["pk"])
        if not _is_regulator(self.request.user) or not definition.organization.path.startswith(
            self.request.user.organization.path
        ):
            raise Http404
        return definition

    def get_initial(self):
        d = self.object
        return {
            "name": d.name,
            "description": d.description,
            "field_lines": "\n".join(f["label"] + ("#" if f.get("type") == "int" else "") for f in d.fields),
            "max_chars": d.max_chars,
            "frequency": d.frequency,
            "due_day": d.due_day,
            "months_after": d.months_after,
            "holiday_shift": d.holiday_shift,
            "unit_groups": list(d.unit_groups.all()),
        }

    def perform(self, form):
        data = form.service_data()
        # keep the stored names (and figure and filler) of fields whose label did not change, so past
        # submissions still read and the example form's figures stay prefilled
        by_label = {f["label"]: f for f in self.object.fields}
        used = set()
        for item in data["fields"]:
            stored = by_label.get(item["label"])
            if stored and stored["name"] not in used and stored.get("type") == item["type"]:
                item.update({k: v for k, v in stored.items() if k in ("name", "source", "filled_by")})
            elif stored and stored["name"] not in used:
                item["name"] = stored["name"]
            used.add(item["name"])
        return services.report_definition_update(
            by=self.request.user, definition=self.object, data=data, unit_groups=form.cleaned_data["unit_groups"]
        )

    success_message = _("已保存报表设置。")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["heading"] = _("报表设置")
        ctx["cancel_url"] = self.object.get_absolute_url()
        return ctx


def _period_from(request, definition) -> dt.date:
    text = request.GET.get("period", "")
    try:
        year, month = (int(p) for p in text.split("-")[:2])
        return due.period_start(dt.date(year, month, 1), definition.frequency)
    except ValueError:
        return due.current_period(definition, timezone.localdate())


class ReportDetailView(ActionRequiredMixin, TemplateView):
    """One report for one period: who owes it, who submitted, who is late."""

    required_action = Action.REPORT_VIEW
    template_name = "action_plans/report_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        definition = selectors.report_definition_get(user=user, pk=kwargs["pk"])
        period = _period_from(self.request, definition)
        step = due.period_months(definition.frequency)
        ctx.update(
            definition=definition,
            status=selectors.report_period_status(user=user, definition=definition, period=period),
            previous=due.add_months(period, -step).strftime("%Y-%m"),
            next=due.add_months(period, step).strftime("%Y-%m"),
            period_value=period.strftime("%Y-%m"),
            can_submit=can(user, Action.REPORT_SUBMIT) and user.organization and user.organization.is_institution,
            can_manage=can(user, Action.REPORT_MANAGE) and _is_regulator(user),
            SUBMITTED=SubmissionStatus.SUBMITTED,
        )
        return ctx


class ReportFillView(ServiceFormView):
    """A unit fills the report for a period: save as draft, or submit."""

    required_action = Action.REPORT_SUBMIT
    template_name = "action_plans/report_fill.html"
    form_class = forms.SubmissionForm

    def get_object(self):
        definition = selectors.report_definition_get(user=self.request.user, pk=self.kwargs["pk"])
        self.period = _period_from(self.request, definition)
        self.submission = (
            selectors.submission_list(user=self.request.user, definition=definition, period=self.period)
            .filter(organization=self.request.user.organization)
            .first()
        )
        return definition

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["definition"] = self.object
        self.counted = figures.counted_for(
            self.object, user=self.request.user, organization=self.request.user.organization, period=self.period
        )
        kwargs["counted"] = self.counted
        if self.submission:  # a draft's figures; those it left empty start at the platform's count
            initial = {k: v for k, v in self.submission.values.items() if v is not None}
            initial.update({f"{k}__reason": v for k, v in self.submission.reasons.items()})
            kwargs["initial"] = initial
        return kwargs

    def perform(self, form):
        self.submit = "submit" in self.request.POST
        services.submission_save(
            by=self.request.user,
            definition=self.object,
            period=self.period,
            values=form.values(),
            reasons=form.reasons(),
            submit=self.submit,
        )
        return self.object

    def get_success_message(self):
        return _("已报送。") if self.submit else _("草稿已保存。")

    def get_success_url(self):
        return reverse("action_plans:report-detail", args=[self.object.pk]) + f"?period={self.period:%Y-%m}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            definition=self.object,
            submission=self.submission,
            period_label=due.period_label(self.period, self.object.frequency),
            due_on=due.definition_due_date(self.object, self.period),
            submitted=self.submission is not None and self.submission.status == SubmissionStatus.SUBMITTED,
            prefilled=len(self.counted),
        )
        return ctx


class ReportExportView(AuditedExportMixin, ActionRequiredMixin, View):
    required_action = Action.REPORT_VIEW
    export_label = _("报表报送情况")

    def get(self, request, pk):
        definition = self.export_target = selectors.report_definition_get(user=request.user, pk=pk)
        period = _period_from(request, definition)
        return exports.submissions_response(definition=definition, period=period, user=request.user)


class SubmissionDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.REPORT_VIEW
    template_name = "action_plans/submission_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        s = selectors.submission_get(user=self.request.user, pk=kwargs["pk"])
        ctx["submission"] = s
        ctx["period_label"] = due.period_label(s.period, s.definition.frequency)
        return ctx


# --- unit groups ---------------------------------------------------------------------------------
class UnitGroupListView(ActionRequiredMixin, TemplateView):
    """The words of task tables and the institutions they stand for, with the count in the user's jurisdiction."""

    required_action = Action.UNIT_GROUP_MANAGE
    template_name = "action_plans/unit_group_list.html"

    def get_context_data(self, **kwargs):
        from anjian.orgs.models import Organization

        ctx = super().get_context_data(**kwargs)
        institutions = list(
            Organization.objects.visible_to(self.request.user)
            .filter(type="institution", is_active=True)
            .values("kind", "ownership")
        )
        rows = []
        for group in UnitGroup.objects.all():
            count = sum(
                1
                for i in institutions
                if group.all_institutions
                or (
                    (not group.kinds or i["kind"] in group.kinds)
                    and (
                        not group.ownership
                        or i["ownership"] != ("private" if group.ownership == "public" else "public")
                    )
                )
            )
            rows.append((group, count))
        ctx["rows"] = rows
        return ctx


class UnitGroupFormMixin:
    required_action = Action.UNIT_GROUP_MANAGE
    template_name = "core/form.html"
    form_class = forms.UnitGroupForm

    def get_success_url(self):
        return reverse("action_plans:unit-group-list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["heading"] = _("单位分组")
        ctx["cancel_url"] = reverse("action_plans:unit-group-list")
        return ctx


class UnitGroupCreateView(UnitGroupFormMixin, ServiceFormView):
    def perform(self, form):
        return services.unit_group_create(by=self.request.user, data=form.service_data())

    success_message = _("已新建单位分组。")


class UnitGroupUpdateView(UnitGroupFormMixin, ServiceFormView):
    def get_object(self):
        try:
            return UnitGroup.objects.get(pk=self.kwargs["pk"])
        except UnitGroup.DoesNotExist as exc:
            raise Http404 from exc

    def get_initial(self):
        g = self.object
        return {
            "name": g.name,
            "keyword_text": "\n".join(g.keywords),
            "kinds": g.kinds,
            "ownership": g.ownership,
            "all_institutions": g.all_institutions,
            "sort_order": g.sort_order,
        }

    def perform(self, form):
        return services.unit_group_update(by=self.request.user, group=self.object, data=form.service_data())

    success_message = _("已保存单位分组。")


# --- bulk changes --------------------------------------------------------------------------------
class TaskBulkEditView(ServiceFormView):
    """Tick many tasks of a plan and set their deadline, standing flag, lead offices or result form."""

    required_action = Action.PLAN_MANAGE
    template_name = "action_plans/task_bulk.html"
    form_class = forms.TaskBulkForm

    def get_object(self):
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["tasks"] = Task.objects.visible_to(self.request.user).filter(plan=self.object)
        return kwargs

    def get_initial(self):
        if self.request.GET.get("unclear") == "1":  # the deadlines the import could not read
            return {"tasks": list(self.object.tasks.filter(deadline_unclear=True).values_list("pk", flat=True))}
        return {}

    def perform(self, form):
        d = form.cleaned_data
        self.changed = services.task_bulk_update(
            by=self.request.user,
            plan=self.object,
            tasks=list(d["tasks"]),
            deadline=d["deadline"],
            standing=d["standing"],
            offices=d["offices"],
            offices_mode=d["offices_mode"],
            result_form=d["result_form"],
        )
        return self.object

    def get_success_message(self):
        return _("已修改 %(n)s 项任务。") % {"n": self.changed}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        if form.is_bound:
            selected = {str(v) for v in form.data.getlist("tasks")}
        else:
            selected = {str(v) for v in form.initial.get("tasks", [])}
        ctx.update(
            plan=self.object,
            tasks=list(selectors.task_list(user=self.request.user, plan=self.object)),
            selected=selected,
            heading=_("批量修改任务"),
        )
        return ctx


class AssignmentBulkReviewView(ServiceFormView):
    """The regulator's review queue: tick the claims of done to confirm (or send back) at once."""

    required_action = Action.PLAN_REVIEW
    template_name = "action_plans/assignment_bulk_review.html"
    form_class = forms.BulkReviewForm

    def get_object(self):
        if not _is_regulator(self.request.user):
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
