"""Pages of work permits: the list, filling one in, the permit's page (made for a phone: the QR
code printed on the permit opens it; it shows what is missing before the work may start and the
buttons the user's role and relation allow now), one page per action, the site photos."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.contractors import forms, rules, selectors, services, workflow
from anjian.contractors.choices import STATUS_CSS, ApprovalStep, PermitStatus
from anjian.contractors.models import PermitPhoto, WorkPermit
from anjian.core import audit
from anjian.core.images import photo_response
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, FilteredListView, ServiceFormView
from anjian.inspections.labels import qr_svg
from anjian.risks.forms import RiskHazardForm

ACTION_CSS = {"reject": "btn-outline-danger", "cancel": "btn-outline-secondary", "suspend": "btn-outline-warning"}


class PermitListView(FilteredListView):
    required_action = Action.WORK_PERMIT_VIEW
    template_name = "contractors/permit_list.html"
    filter_form_class = forms.PermitFilterForm
    context_object_name = "permits"

    def get_filtered_queryset(self, **filters):
        return selectors.permit_list(
            user=self.request.user,
            q=filters.get("q") or "",
            status=filters.get("status") or "",
            kind=filters.get("kind") or "",
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        for p in ctx["permits"]:
            p.status_css = STATUS_CSS.get(p.status, "secondary")
        return ctx


class PermitCreateView(ServiceFormView):
    required_action = Action.WORK_PERMIT_APPLY
    form_class = forms.PermitForm
    template_name = "contractors/permit_form.html"
    extra_context = {"title": _("填写危险作业票")}
    success_message = _("已填写作业票 %(object)s，请核对后提交审批。")

    def get_initial(self):
        initial = super().get_initial()
        kind = self.request.GET.get("kind")
        if kind:
            initial["kind"] = selectors.kind_list().filter(code=kind[:30]).first()
        return initial

    def perform(self, form):
        data = form.service_data()
        workers = list(data.pop("workers", []) or [])
        return services.permit_create(by=self.request.user, data=data, workers=workers)


def _permit(user, pk) -> WorkPermit:
    return selectors.permit_get(user=user, pk=pk)


def _steps(permit: WorkPermit) -> list[dict]:
    """The kind's approval steps in order, each with its decision (if taken) or pending."""
    decided = {a.step: a for a in permit.approvals.all()}
    return [
        {"label": ApprovalStep(step).label, "decision": decided.get(step), "pending": permit.pending_step == step}
        for step in permit.kind.steps
    ]


class PermitDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.WORK_PERMIT_VIEW
    template_name = "contractors/permit_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        permit = _permit(user, kwargs["pk"])
        allowed = workflow.allowed_actions(permit, user)
        waiting = permit.status in (PermitStatus.DRAFT, PermitStatus.APPROVING, PermitStatus.APPROVED)
        steps = _steps(permit)
        ctx.update(
            permit=permit,
            status_css=STATUS_CSS.get(permit.status, "secondary"),
            missing=rules.start_blockers(permit) if waiting else [],
            gas_problem=rules.gas_test_problem(permit)
            if permit.status in (PermitStatus.APPROVED, PermitStatus.ACTIVE)
            else "",
            steps=steps,
            actions=[
                {"name": a, "label": workflow.RULES[a].label, "css": ACTION_CSS.get(a, "btn-primary")} for a in allowed
            ],
            qr=qr_svg(self.request.build_absolute_uri(permit.get_absolute_url())),
            overrun=permit.is_overrun(),
            events=audit.events_for(permit, user)[:30],
            hazards=[link.hazard for link in permit.hazard_links.select_related("hazard").order_by("pk")],
            may_report_hazard=can(user, Action.HAZARD_REPORT) and permit.organization_id == user.organization_id,
        )
        return ctx


class PermitPrintView(ActionRequiredMixin, TemplateView):
    """The permit laid out as the paper 作业票 (GB 30871) for A4: kind, number, place, content,
    hazards and measures with the checks confirmed, gas tests, approvals with names and times, the
    guardian, start and close-out; its QR code leads back to the permit's page."""

    required_action = Action.WORK_PERMIT_VIEW
    template_name = "contractors/permit_print.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        permit = _permit(self.request.user, kwargs["pk"])
        ctx.update(
            permit=permit,
            approvals=_steps(permit),
            gas_tests=sorted(permit.gas_tests.all(), key=lambda t: (t.tested_at, t.pk)),
            qr=qr_svg(self.request.build_absolute_uri(permit.get_absolute_url())),
            printed_at=timezone.now(),
        )
        return ctx


class PermitActionView(ServiceFormView):
    """One action of the workflow: GET its form (the refusal, if any, said up front), POST it."""

    required_action = Action.WORK_PERMIT_VIEW
    template_name = "contractors/permit_action.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("action") not in workflow.RULES:
            raise Http404(_("未找到该页面。"))
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        return _permit(self.request.user, self.kwargs["pk"])

    def get_form_class(self):
        return forms.ACTION_FORMS[self.kwargs["action"]]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.kwargs["action"] == "start":
            kwargs["permit"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        action = self.kwargs["action"]
        rule = workflow.RULES[action]
        refusal = workflow.refusal(self.object, action, self.request.user)
        ctx.update(
            permit=self.object,
            rule=rule,
            title=f"{rule.label} · {self.object.number}",
            refusal=refusal.message if refusal is not None else "",
        )
        return ctx

    def perform(self, form):
        action, permit, by = self.kwargs["action"], self.object, self.request.user
        d = form.cleaned_data
        if action == "submit":
            services.permit_submit(permit=permit, by=by)
        elif action == "approve":
            services.permit_approve(permit=permit, by=by, comment=d.get("comment", ""))
        elif action == "reject":
            services.permit_reject(permit=permit, by=by, reason=d["reason"])
        elif action == "cancel":
            services.permit_cancel(permit=permit, by=by, reason=d["reason"])
        elif action == "gas-test":
            services.permit_gas_test(permit=permit, by=by, data=dict(d))
        elif action == "start":
            services.permit_start(permit=permit, by=by, checks=form.checks())
        elif action == "suspend":
            services.permit_suspend(permit=permit, by=by, reason=d["reason"])
        elif action == "resume":
            services.permit_resume(permit=permit, by=by)
        elif action == "close":
            services.permit_close(permit=permit, by=by, note=d["note"], photos=d.get("photos") or [])
        return permit

    def get_success_message(self) -> str:
        return _("%(action)s：已完成。") % {"action": workflow.RULES[self.kwargs["action"]].label}


class PermitPhotoView(ActionRequiredMixin, View):
    required_action = Action.WORK_PERMIT_VIEW

    def get(self, request, pk, size="image"):
        photo = get_visible_or_404(PermitPhoto, request.user, pk=pk)
        return photo_response(photo.thumbnail if size == "thumb" else photo.image)


class PermitHazardView(ServiceFormView):
    """A hazard found during the work: into the ledger, linked to the permit."""

    required_action = Action.HAZARD_REPORT
    form_class = RiskHazardForm

    def get_object(self):
        return get_visible_or_404(WorkPermit.objects.select_related("kind"), self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("登记隐患：%(n)s · %(l)s") % {"n": self.object.number, "l": self.object.location}
        return ctx

    def perform(self, form):
        d = form.cleaned_data
        self.hazard = services.permit_report_hazard(
            permit=self.object,
            by=self.request.user,
            data={"title": d["title"], "description": d.get("description", ""), "category": d["category"]},
            photos=d["photos"],
        )
        return self.object

    def get_success_message(self) -> str:
        return _("已登记隐患 %(n)s，关联作业票 %(p)s。") % {"n": self.hazard.number, "p": self.object.number}
