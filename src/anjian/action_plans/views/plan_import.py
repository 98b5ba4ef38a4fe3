"""Import of a task table: the upload, the blank template, the preview to check and confirm."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from anjian.action_plans import exports, forms, parsing, selectors, services
from anjian.action_plans.models import UnitGroup
from anjian.core.errors import DomainError
from anjian.core.permissions import Action
from anjian.core.views import ActionRequiredMixin, ServiceFormView


class PlanImportView(ServiceFormView):
    required_action = Action.PLAN_MANAGE
    template_name = "action_plans/plan_import.html"
    form_class = forms.ImportUploadForm

    def perform(self, form):
        f = form.cleaned_data["file"]
        return services.plan_import_preview(by=self.request.user, file=f, name=f.name)

    def get_success_url(self):
        return reverse("action_plans:plan-import-preview", args=[self.object.pk])


class PlanImportTemplateView(ActionRequiredMixin, View):
    required_action = Action.PLAN_MANAGE

    def get(self, request):
        return exports.template_response()


class PlanImportPreviewView(ServiceFormView):
    """The parsed table as it would be stored, problems first, with the columns' meanings (which
    the user may correct: the table is read again) and what to fix; confirming stores it."""

    required_action = Action.PLAN_MANAGE
    template_name = "action_plans/plan_import_preview.html"
    form_class = forms.ImportConfirmForm

    def get_object(self):
        draft = selectors.draft_get(user=self.request.user, pk=self.kwargs["pk"])
        if draft.plan_id:
            raise Http404(_("这份导入已经确认过了。"))
        return draft

    def post(self, request, *args, **kwargs):
        if request.POST.get("remap"):
            self.setup_object()
            columns = self.object.parsed.get("columns", [])
            roles = {c["index"]: request.POST.get(f"col_{c['index']}", c["field"]) for c in columns}
            try:
                services.plan_import_remap(by=request.user, draft=self.object, roles=roles)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已按调整后的列重新读取。"))
            return HttpResponseRedirect(reverse("action_plans:plan-import-preview", args=[self.object.pk]))
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        return {"title": self.object.title, "document_number": self.object.parsed.get("document_number", "")}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["problems"] = self.object.parsed.get("problems", [])
        kwargs["past"] = selectors.draft_past_deadlines(self.object).tasks
        kwargs["unit_choices"] = selectors.draft_unit_choices(self.object)
        return kwargs

    def perform(self, form):
        d = form.cleaned_data
        return services.plan_import_confirm(
            by=self.request.user,
            draft=self.object,
            title=d["title"],
            document_number=d["document_number"],
            fixes=form.fixes(),
            unit_fixes=form.unit_fixes(),
        )

    def get_success_message(self):
        return _("已导入任务清单“%(t)s”。") % {"t": self.object.title}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        draft = self.object
        ctx["draft"] = draft
        counts = services.draft_counts(draft)
        ctx["tasks"] = [{**t, "assign_count": counts.get(t["number"], 0)} for t in draft.parsed.get("tasks", [])]
        problems = draft.parsed.get("problems", [])
        ctx["problems"] = [p for p in problems if p.get("field") != "ignored"]
        ctx["ignored"] = [p for p in problems if p.get("field") == "ignored"]
        past = selectors.draft_past_deadlines(draft)
        ctx["past_deadlines"] = past
        form = ctx["form"]
        ctx["past_rows"] = [
            (t, form[f"fix_{t['number']}"] if f"fix_{t['number']}" in form.past_fields else None) for t in past.tasks
        ]
        ctx["groups"] = UnitGroup.objects.all()
        ctx["columns"] = draft.parsed.get("columns", [])
        ctx["field_choices"] = list(parsing.field_labels().items())
        ctx["subtask_count"] = sum(1 for t in draft.parsed.get("tasks", []) if t.get("parent"))
        return ctx
