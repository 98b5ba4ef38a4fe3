"""Periodic reports (报送): the list, the settings, who owes a period, a unit filling its report, the
export, a submission."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.action_plans import due, exports, figures, forms, selectors, services
from anjian.action_plans.choices import SubmissionStatus
from anjian.action_plans.views.common import is_regulator
from anjian.core.permissions import Action, can
from anjian.core.views import ActionRequiredMixin, AuditedExportMixin, ServiceFormView


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
        ctx["can_manage"] = can(user, Action.REPORT_MANAGE) and is_regulator(user)
        return ctx

    def post(self, request, *args, **kwargs):
        """Add the two example reports (Putuo's and Jilin's) to the regulator's own."""
        from anjian.action_plans.defaults import ensure_report_examples

        if not (can(request.user, Action.REPORT_MANAGE) and is_regulator(request.user)):
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
        if not is_regulator(self.request.user) or not definition.organization.path.startswith(
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
            can_manage=can(user, Action.REPORT_MANAGE) and is_regulator(user),
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
