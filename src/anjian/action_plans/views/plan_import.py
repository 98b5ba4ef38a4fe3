"""Import of a task table: the upload, the blank template, the preview to check and confirm."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from anjian.action_plans import exports, forms, selectors, services
from anjian.action_plans.models import UnitGroup
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
