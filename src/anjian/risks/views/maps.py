"""The four-colour map: floor plans with their areas coloured by the highest risk in each, and the
risk notice board (风险公告栏) of an area."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.core.errors import DomainError
from anjian.core.images import photo_response
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, ServiceFormView
from anjian.risks import forms, selectors, services
from anjian.risks.models import FloorPlan, MapArea
from anjian.risks.views.common import LEVELS, level_info, may_manage


class PlanListView(ActionRequiredMixin, TemplateView):
    required_action = Action.RISK_VIEW
    template_name = "risks/plan_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["plans"] = list(selectors.plan_list(user=user).order_by("organization__name", "building", "floor"))
        # (an area linked to no risk point gives a NULL here, which would empty a NOT IN: left out)
        mapped = (
            MapArea.objects.visible_to(user).filter(is_active=True, risk_points__isnull=False).values("risk_points")
        )
        unmapped = selectors.risk_point_list(user=user).exclude(pk__in=mapped)
        points = list(unmapped[:200])
        for p in points:
            p.level_info = level_info(p.top_rank)
        ctx["unmapped"] = points
        ctx["may_manage"] = can(user, Action.RISK_MANAGE)
        ctx["levels"] = LEVELS
        return ctx


class PlanUploadView(ServiceFormView):
    required_action = Action.RISK_MANAGE
    template_name = "risks/form.html"
    form_class = forms.FloorPlanForm
    extra_context = {"title": _("上传楼层平面图"), "multipart": True}
    success_message = _("已上传平面图“%(object)s”，请在图上绘制区域。")

    def perform(self, form):
        d = form.cleaned_data
        return services.floor_plan_upload(
            by=self.request.user, building=d["building"], floor=d["floor"], image=d["image"]
        )


class PlanDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.RISK_VIEW
    template_name = "risks/plan_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = get_visible_or_404(FloorPlan.objects.select_related("organization"), self.request.user, pk=kwargs["pk"])
        areas = selectors.areas_of(plan)
        for a in areas:
            a.level_info = level_info(a.top_rank)
        ctx.update(
            plan=plan,
            areas=areas,
            font_size=plan.label_size,
            levels=LEVELS,
            may_manage=may_manage(self.request.user, plan),
            form=kwargs.get("form") or forms.AreaForm(user=self.request.user, plan=plan),
        )
        return ctx


class PlanImageView(ActionRequiredMixin, View):
    required_action = Action.RISK_VIEW

    def get(self, request, pk):
        plan = get_visible_or_404(FloorPlan, request.user, pk=pk)
        return photo_response(plan.image)


class AreaCreateView(ActionRequiredMixin, View):
    required_action = Action.RISK_MANAGE

    def post(self, request, pk):
        plan = get_visible_or_404(FloorPlan, request.user, pk=pk)
        form = forms.AreaForm(request.POST, user=request.user, plan=plan)
        if form.is_valid():
            try:
                points = json.loads(form.cleaned_data["points"] or "[]")
            except ValueError:
                points = None
            try:
                area = services.map_area_save(
                    by=request.user,
                    plan=plan,
                    name=form.cleaned_data["name"],
                    points=points,
                    risk_points=form.cleaned_data["risk_points"],
                )
            except DomainError as exc:
                if exc.field in ("name", "risk_points"):
                    form.add_domain_error(exc)
                else:  # the outline is a hidden field: say it above the form
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存区域“%(a)s”。") % {"a": area})
                return HttpResponseRedirect(plan.get_absolute_url())
        view = PlanDetailView()
        view.setup(request, pk=pk)
        return view.render_to_response(view.get_context_data(pk=pk, form=form))


class AreaNoticeView(ActionRequiredMixin, TemplateView):
    """风险公告栏: a printable board of an area's risks, levels, controls and emergency phones."""

    required_action = Action.RISK_VIEW
    template_name = "risks/area_notice.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        area = get_visible_or_404(
            MapArea.objects.select_related("plan", "plan__organization"), self.request.user, pk=kwargs["pk"]
        )
        risks = selectors.area_risks(area)
        top = max((r.rank for r in risks), default=None)
        ctx.update(area=area, risks=risks, level_info=level_info(top), points=list(area.risk_points.all()))
        return ctx
