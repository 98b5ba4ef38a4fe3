"""Dispatch (调度): the matrix of a plan's tasks × units and its export, the timeline (挂图作战), a
unit's page."""

from __future__ import annotations

from django.core.paginator import InvalidPage
from django.http import Http404
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.action_plans import exports, forms, selectors
from anjian.action_plans.choices import AssignmentStatus
from anjian.core.permissions import Action
from anjian.core.views import ActionRequiredMixin, AuditedExportMixin


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
