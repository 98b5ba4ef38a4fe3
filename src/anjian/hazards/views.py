"""The hazard pages: the ledger, a hazard's page with its actions, 随手拍, and the xlsx export."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import View
from django.views.generic import DetailView

from anjian.core.audit import events_for
from anjian.core.idempotency import IdempotentFormMixin
from anjian.core.images import photo_response
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, AuditedExportMixin, FilteredListView, ServiceFormView
from anjian.hazards import escalation, exports, forms, links, selectors, services, workflow
from anjian.hazards.choices import HazardStatus, PhotoPhase
from anjian.hazards.models import HazardPhoto
from anjian.hazards.pagination import BoundedPaginator


class HazardListView(FilteredListView):
    reads_from_replica = True  # core.db: heavy reads that tolerate a replica's moment of lag
    required_action = Action.HAZARD_VIEW
    template_name = "hazards/hazard_list.html"
    filter_form_class = forms.HazardFilterForm
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = self.get_filter_form()
        self.filters = self.filter_form.filters()
        self.selector_filters = self.filter_form.to_selector()
        self.date_errors = self.filter_form.date_errors()
        ledger = selectors.hazard_ledger(user=self.request.user, filters=self.selector_filters)
        # a bad date is said next to its box, and nothing is listed (nor counted) until it is put right
        return ledger.none() if self.date_errors else ledger

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        # a city's ledger counts up to a cap ("10,000+"), an institution's exactly
        cap = None
        if not self.date_errors:
            cap = selectors.ledger_count_cap(user=self.request.user, filters=self.selector_filters)
        return BoundedPaginator(queryset, per_page, orphans, allow_empty_first_page, cap=cap)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        counts = {}
        if not self.date_errors:
            counts = selectors.status_tab_counts(user=self.request.user, filters=self.selector_filters)
        current = self.selector_filters.status
        ctx["status_tabs"] = [
            {"value": value, "label": label, "count": counts.get(value or "all"), "active": current == value}
            for value, label in [("", _("全部")), ("open", _("未销号")), *HazardStatus.choices]
        ]
        ctx["date_errors"] = [
            {"field": name, "message": message} for name, messages in self.date_errors.items() for message in messages
        ]
        # the exports take the filters of this answer (the filter bar's htmx requests redraw them with
        # the list): the file holds what the page shows, not what it showed when first opened
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["export_query"] = query.urlencode()
        ctx["show_organization"] = not (
            self.request.user.organization and self.request.user.organization.is_institution
        )
        return ctx


def _button_rank(action: str) -> int:
    if action in workflow.DUTIES:
        return 0
    return 1 if action in ("supervise", "postpone") else 2


class HazardDetailView(ActionRequiredMixin, DetailView):
    required_action = Action.HAZARD_VIEW
    template_name = "hazards/hazard_detail.html"
    context_object_name = "hazard"

    def get_object(self, queryset=None):
        return selectors.hazard_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        hazard = self.object
        photos = list(hazard.photos.all())
        ctx["before_photos"] = [p for p in photos if p.phase == PhotoPhase.BEFORE]
        ctx["after_photos"] = [p for p in photos if p.phase == PhotoPhase.AFTER]
        # what the hazard waits for first (the primary button), then supervision and postponement,
        # then the corrections possible at any time (reclassify, unsupervise)
        allowed = sorted(workflow.allowed_actions(hazard, self.request.user), key=_button_rank)
        ctx["actions"] = [
            {
                "name": a,
                "label": workflow.RULES[a].label,
                "url": reverse("hazards:hazard-action", args=[hazard.pk, a]),
                "primary": i == 0 and _button_rank(a) < 2,
            }
            for i, a in enumerate(allowed)
        ]
        missing = services.missing_plan_parts(hazard) if hazard.status == HazardStatus.REPORTED else []
        ctx["missing_plan_parts"] = str(pgettext_lazy("list separator", "、")).join(missing)
        # the risk has its own row (关联风险, with its colour); the API's origins list it too
        ctx["origins"] = [o for o in links.origins(hazard, self.request.user) if o.kind != "risk"]
        ctx["postponement_count"] = sum(1 for p in hazard.postponements.all() if p.decision == "approved")
        ctx["days_overdue"] = escalation.days_overdue(hazard)
        ctx["supervision_days_overdue"] = escalation.supervision_days_overdue(hazard)
        ctx["supervise_url"] = next((a["url"] for a in ctx["actions"] if a["name"] == "supervise"), None)
        # the notices (reports/) offered under the same rule the notice page applies (workflow.notices)
        ctx["notices"] = workflow.notices(hazard, self.request.user)
        ctx["events"] = events_for(hazard, self.request.user)[:100]
        return ctx


# action → (form class, how the form's data becomes the one service call)
ACTIONS = {
    "confirm": (
        forms.PlanForm,
        lambda h, by, d, f: services.hazard_confirm(hazard=h, by=by, plan=f.plan(), note=d.get("note", "")),
    ),
    "dismiss": (forms.ReasonForm, lambda h, by, d, f: services.hazard_dismiss(hazard=h, by=by, reason=d["reason"])),
    "submit": (
        forms.SubmitForm,
        lambda h, by, d, f: services.hazard_submit(
            hazard=h, by=by, rectification_note=d["rectification_note"], after_photos=d.get("after_photos") or []
        ),
    ),
    "change-plan": (
        forms.ChangePlanForm,
        lambda h, by, d, f: services.hazard_change_plan(hazard=h, by=by, plan=f.plan(), reason=d["reason"]),
    ),
    "endorse": (forms.NoteForm, lambda h, by, d, f: services.hazard_endorse(hazard=h, by=by, note=d["note"])),
    "accept": (forms.NoteForm, lambda h, by, d, f: services.hazard_accept(hazard=h, by=by, note=d["note"])),
    "reject": (forms.ReasonForm, lambda h, by, d, f: services.hazard_reject(hazard=h, by=by, reason=d["reason"])),
    "postpone": (
        forms.PostponeForm,
        lambda h, by, d, f: services.hazard_postpone(
            hazard=h, by=by, new_deadline=d["new_deadline"], reason=d["reason"]
        ),
    ),
    "approve-postponement": (
        forms.NoteForm,
        lambda h, by, d, f: services.hazard_decide_postponement(hazard=h, by=by, approve=True, note=d["note"]),
    ),
    "refuse-postponement": (
        forms.RefuseForm,
        lambda h, by, d, f: services.hazard_decide_postponement(hazard=h, by=by, approve=False, note=d["note"]),
    ),
    "reclassify": (
        forms.ReclassifyForm,
        lambda h, by, d, f: services.hazard_reclassify(
            hazard=h, by=by, level=d["level"], reason=d["reason"], criterion=d.get("criterion")
        ),
    ),
    "supervise": (
        forms.SuperviseForm,
        lambda h, by, d, f: services.hazard_supervise(
            hazard=h, by=by, level=d["level"], deadline=d["deadline"], notice_number=d["notice_number"]
        ),
    ),
    "unsupervise": (forms.NoteForm, lambda h, by, d, f: services.hazard_unsupervise(hazard=h, by=by, note=d["note"])),
}


class HazardActionView(ServiceFormView):
    """One action of the closed loop on one hazard: a small form, then exactly one service call."""

    required_action = Action.HAZARD_VIEW
    template_name = "hazards/hazard_action.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in ACTIONS:
            raise Http404(_("未找到该操作。"))
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        return selectors.hazard_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_class(self):
        return ACTIONS[self.kwargs["action"]][0]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        form_class = self.get_form_class()
        if issubclass(form_class, forms.PlanForm):  # confirm, change-plan: the plan as it stands
            kwargs["hazard"] = self.object
            kwargs["initial"] = {name: getattr(self.object, name) for name in services.PLAN_FIELDS}
        elif form_class is forms.SubmitForm:
            kwargs["hazard"] = self.object
        return kwargs

    def perform(self, form):
        perform = ACTIONS[self.kwargs["action"]][1]
        perform(self.object, self.request.user, form.cleaned_data, form)
        return None

    def get_success_message(self):
        return _("已%(action)s：%(number)s") % {
            "action": workflow.RULES[self.kwargs["action"]].label,
            "number": self.object.number,
        }

    def get_success_url(self):
        return reverse("hazards:hazard-detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        action = self.kwargs["action"]
        ctx["hazard"] = self.object
        ctx["action"] = action
        ctx["rule"] = workflow.RULES[action]
        problem = workflow.refusal(self.object, action, self.request.user)
        ctx["refusal"] = getattr(problem, "message", None)
        ctx["multipart"] = action == "submit"
        return ctx


class HazardReportView(IdempotentFormMixin, ServiceFormView):
    """随手拍: report a hazard from a phone with a photo, in under a minute."""

    required_action = Action.HAZARD_REPORT
    template_name = "hazards/hazard_report.html"
    form_class = forms.HazardReportForm

    def perform(self, form):
        d = form.cleaned_data
        self.object = services.hazard_report(
            by=self.request.user,
            organization=d["organization"],
            data=form.service_data(),
            photos=d.get("photos") or [],
            after_photos=d.get("after_photos") or [],
            photo_required=True,
        )
        return self.object

    def get_success_message(self):
        return _("已登记隐患 %(number)s，感谢您的报告。") % {"number": self.object.number}

    def get_success_url(self):
        return reverse("hazards:hazard-detail", args=[self.object.pk])


class HazardExportView(AuditedExportMixin, ActionRequiredMixin, View):
    """The ledger as xlsx: exactly the rows the filters select, streamed from the database."""

    required_action = Action.HAZARD_EXPORT
    export_label = _("隐患台账")

    def get(self, request, *args, **kwargs):
        form = forms.HazardFilterForm(request.GET, user=request.user)
        if form.date_errors():  # the ledger says which date is wrong; the file would not match it
            messages.error(request, _("筛选条件中的日期有误，请更正后再导出。"))
            return HttpResponseRedirect(f"{reverse('hazards:hazard-list')}?{request.GET.urlencode()}")
        qs = selectors.hazard_list(user=request.user, filters=form.to_selector())
        self.export_rows = qs.count()
        return exports.ledger_response(qs)


class HazardPhotoView(ActionRequiredMixin, View):
    """A hazard photo (or its thumbnail), served only to those who may see the hazard."""

    required_action = Action.HAZARD_VIEW

    def get(self, request, pk: int, size: str):
        photo = get_visible_or_404(HazardPhoto, request.user, pk=pk)
        return photo_response(photo.thumbnail if size == "thumb" else photo.image)
