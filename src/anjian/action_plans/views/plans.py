"""The plans and their tasks: the list, a plan and a task, typed in, edited one by one or many at
once, withdrawn, exported, its document."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.action_plans import exports, forms, selectors, services
from anjian.action_plans.models import Task
from anjian.action_plans.views.common import is_regulator
from anjian.core import uploads
from anjian.core.audit import events_for
from anjian.core.permissions import Action, can
from anjian.core.views import ActionRequiredMixin, AuditedExportMixin, ServiceFormView, SetActiveView


class PlanListView(ActionRequiredMixin, TemplateView):
    required_action = Action.PLAN_VIEW
    template_name = "action_plans/plan_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["q"] = self.request.GET.get("q", "")[:100]
        ctx["inactive"] = self.request.GET.get("inactive") == "1"
        ctx["plans"] = list(selectors.plan_list(user=user, q=ctx["q"], include_inactive=ctx["inactive"])[:200])
        ctx["is_regulator"] = is_regulator(user)
        return ctx


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
            **selectors.task_counts(user=user, plan=plan),
            plan=plan,
            groups=groups,
            unclear=sum(1 for t in tasks if t.deadline_unclear),
            can_manage=can(user, Action.PLAN_MANAGE) and is_regulator(user),
            events=events_for(plan, user)[:50],
        )
        return ctx


class PlanUpdateView(ServiceFormView):
    required_action = Action.PLAN_MANAGE
    template_name = "core/form.html"
    form_class = forms.PlanForm
    form_edits_object = True

    def get_object(self):
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])

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
        ctx["subtasks"] = list(selectors.task_list(user=user, plan=task.plan).filter(parent=task))
        ctx["can_manage"] = can(user, Action.PLAN_MANAGE) and is_regulator(user)
        return ctx


class TaskUpdateView(ServiceFormView):
    required_action = Action.PLAN_MANAGE
    template_name = "core/form.html"
    form_class = forms.TaskForm
    form_edits_object = True

    def get_object(self):
        return selectors.task_get(user=self.request.user, pk=self.kwargs["pk"])

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
