"""Schedules, and the default rhythms they are made from."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.core.errors import DomainError
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, ServiceFormView
from anjian.inspections import forms, services
from anjian.inspections.models import (
    RhythmDefault,
    Schedule,
)


class ScheduleListView(ActionRequiredMixin, TemplateView):
    required_action = Action.INSPECTION_VIEW
    template_name = "inspections/schedule_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["schedules"] = (
            Schedule.objects.visible_to(self.request.user)
            .select_related("organization", "template", "assignee", "post__department", "department")
            .prefetch_related("points")
            .order_by("organization__path", "-is_active", "name")[:500]
        )
        org = self.request.user.organization
        if org is not None and org.is_institution:
            ctx["defaults"] = services.effective_defaults(org)
        return ctx


class ScheduleCreateView(ServiceFormView):
    required_action = Action.SCHEDULE_MANAGE
    template_name = "core/form.html"
    form_class = forms.ScheduleForm
    extra_context = {"title": _("新建排查计划")}
    success_message = _("已保存排查计划“%(object)s”。")

    def get_initial(self):
        return {"starts_on": timezone.localdate()}

    def perform(self, form):
        data = form.service_data()
        points = data.pop("points", [])
        return services.schedule_create(by=self.request.user, data=data, points=list(points))

    def get_success_url(self):
        return reverse("inspections:schedule-list")


class ScheduleEditView(ScheduleCreateView):
    extra_context = {"title": _("修改排查计划")}
    form_class = forms.ScheduleEditForm

    def get_object(self):
        return get_visible_or_404(Schedule, self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        s = self.object
        initial = {f: getattr(s, f) for f in services.SCHEDULE_FIELDS if f != "is_active"}
        initial["points"] = list(s.points.all())
        return initial

    def perform(self, form):
        data = form.service_data()
        points = data.pop("points", [])
        return services.schedule_update(by=self.request.user, schedule=self.object, data=data, points=list(points))


class ScheduleDefaultsView(ActionRequiredMixin, View):
    """POST: create the institution's schedules from the default rhythms."""

    required_action = Action.SCHEDULE_MANAGE

    def post(self, request):
        org = request.user.organization
        try:
            if org is None or not org.is_institution:
                raise DomainError(_("巡检点和排查计划属于医疗卫生机构，请以机构人员身份操作。"))
            created = services.schedules_from_defaults(by=request.user, organization=org)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已按默认频次新建 %(n)d 个排查计划。") % {"n": len(created)})
        return HttpResponseRedirect(reverse("inspections:schedule-list"))


class RhythmListView(ActionRequiredMixin, TemplateView):
    required_action = Action.INSPECTION_VIEW
    template_name = "inspections/rhythm_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rules"] = RhythmDefault.objects.all()
        return ctx


class RhythmCreateView(ServiceFormView):
    required_action = Action.RHYTHM_MANAGE
    template_name = "core/form.html"
    form_class = forms.RhythmCreateForm
    extra_context = {"title": _("新增默认排查频次")}
    success_message = _("已新增“%(object)s”。")

    def perform(self, form):
        return services.rhythm_default_create(by=self.request.user, data=form.service_data())

    def get_success_url(self):
        return reverse("inspections:rhythm-list")


class RhythmEditView(ServiceFormView):
    required_action = Action.RHYTHM_MANAGE
    template_name = "core/form.html"
    form_class = forms.RhythmForm
    extra_context = {"title": _("修改默认排查频次")}
    success_message = _("已保存“%(object)s”。")

    def get_object(self):
        try:
            return RhythmDefault.objects.get(pk=self.kwargs["pk"])
        except RhythmDefault.DoesNotExist as exc:
            raise Http404 from exc

    def get_initial(self):
        return {f: getattr(self.object, f) for f in forms.RhythmForm.Meta.fields}

    def perform(self, form):
        return services.rhythm_default_update(by=self.request.user, rule=self.object, data=form.service_data())

    def get_success_url(self):
        return reverse("inspections:rhythm-list")
