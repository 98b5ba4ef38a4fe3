"""The regulator's supervision inspections (with their findings and checklists) and interviews."""

from __future__ import annotations

from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from anjian.core.permissions import Action, can
from anjian.core.roles import Role
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, ServiceFormView
from anjian.inspections import forms, selectors, services
from anjian.inspections.choices import TemplateStatus
from anjian.inspections.models import (
    ChecklistTemplate,
    Interview,
    SupervisionInspection,
)
from anjian.inspections.views.records import RecordCreateView


class SupervisionListView(ActionRequiredMixin, TemplateView):
    required_action = Action.SUPERVISION_VIEW
    template_name = "inspections/supervision_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["supervisions"] = SupervisionInspection.objects.visible_to(user).select_related("institution", "regulator")[
            :200
        ]
        # 约谈 are the regulator's and the institution's: an engaged inspector sees supervisions only
        ctx["show_interviews"] = user.role != Role.INSPECTOR
        interviews = Interview.objects.visible_to(user) if ctx["show_interviews"] else Interview.objects.none()
        ctx["interviews"] = interviews.select_related("institution")[:200]
        return ctx


class SupervisionCreateView(ServiceFormView):
    required_action = Action.SUPERVISION_MANAGE
    template_name = "core/form.html"
    form_class = forms.SupervisionForm
    extra_context = {"title": _("登记督导检查")}

    def get_initial(self):
        return {"date": timezone.localdate()}

    def perform(self, form):
        data = form.service_data()
        institution = data.pop("institution")
        inspectors = data.pop("inspectors", [])
        return services.supervision_record(
            by=self.request.user, institution=institution, data=data, inspectors=inspectors
        )

    def get_success_url(self):
        return reverse("inspections:supervision-detail", args=[self.object.pk])


class SupervisionDetailView(ActionRequiredMixin, DetailView):
    required_action = Action.SUPERVISION_VIEW
    template_name = "inspections/supervision_detail.html"
    context_object_name = "supervision"

    def get_object(self, queryset=None):
        return get_visible_or_404(
            SupervisionInspection.objects.select_related("institution", "regulator"),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["findings"] = self.object.findings.select_related("hazard__category")
        ctx["records"] = self.object.records.select_related("template")
        ctx["may_fill"] = can(self.request.user, Action.SUPERVISION_FILL)
        ctx["inspectors"] = self.object.inspectors.select_related("organization")
        ctx["checklists"] = ChecklistTemplate.objects.visible_to(self.request.user).filter(
            status=TemplateStatus.PUBLISHED
        )
        return ctx


class SupervisionFindingView(ServiceFormView):
    required_action = Action.SUPERVISION_FILL
    template_name = "core/form.html"
    form_class = forms.FindingForm
    extra_context = {"title": _("登记督导检查发现的问题"), "multipart": True}

    def get_object(self):
        return get_visible_or_404(SupervisionInspection, self.request.user, pk=self.kwargs["pk"])

    def perform(self, form):
        d = dict(form.cleaned_data)
        photos = d.pop("photos", [])
        services.supervision_add_finding(by=self.request.user, supervision=self.object, data=d, photos=photos)
        return self.object

    def get_success_url(self):
        return reverse("inspections:supervision-detail", args=[self.object.pk])


class SupervisionChecklistView(RecordCreateView):
    """The supervision team fills a checklist at the institution; failed items become hazards with
    source 督导检查."""

    required_action = Action.SUPERVISION_FILL

    def setup_objects(self, request, pk, template_pk=None):
        self.supervision = get_visible_or_404(
            SupervisionInspection.objects.select_related("institution"), request.user, pk=pk
        )
        self.template = get_visible_or_404(
            ChecklistTemplate.objects.filter(status=TemplateStatus.PUBLISHED), request.user, pk=template_pk
        )
        self.schedule = None
        self.point = None
        self.sections = selectors.sections_with_items(self.template)

    def check(self, request) -> None:
        """Whoever may see the supervision and fill its checklists (the action) may open it."""

    def submit(self, request, rows):
        return services.inspection_submit(
            by=request.user,
            supervision=self.supervision,
            template=self.template,
            note=request.POST.get("note", ""),
            results=rows,
        )

    def success(self, request, record) -> str:
        messages.success(request, _("已提交督导检查记录 %(n)s。") % {"n": record.number})
        return reverse("inspections:supervision-detail", args=[self.supervision.pk])


class InterviewCreateView(ServiceFormView):
    required_action = Action.SUPERVISION_MANAGE
    template_name = "core/form.html"
    form_class = forms.InterviewForm
    extra_context = {"title": _("登记约谈")}

    def get_initial(self):
        return {"date": timezone.localdate()}

    def perform(self, form):
        data = form.service_data()
        institution = data.pop("institution")
        return services.interview_record(by=self.request.user, institution=institution, data=data)

    def get_success_url(self):
        return reverse("inspections:supervision-list")
