"""Storage places of hazardous chemicals: a place's page (what it holds, its keepers, its spot on a
floor plan of the four-colour map), editing it, marking it on a plan, taking it out of use; and the
一张图 of an institution: its floor plans with the map's coloured areas and every place marked."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from anjian.core import audit
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, ServiceFormView, SetActiveView
from anjian.orgs.models import Organization
from anjian.registers import forms, selectors, services
from anjian.registers.views.common import may_manage
from anjian.risks.models import FloorPlan
from anjian.risks.selectors import areas_by_plan
from anjian.risks.views.common import LEVELS, level_info


def _marker_size(plan) -> int:
    return max(8, round((plan.width or 1000) / 90))


def _colour(areas) -> list:
    for area in areas:
        area.level_info = level_info(area.top_rank)
    return areas


class _PlaceMixin:
    def get_object(self):
        return selectors.place_get(user=self.request.user, pk=self.kwargs["pk"])


class PlaceDetailView(ActionRequiredMixin, TemplateView):
    required_action = Action.REGISTER_VIEW
    template_name = "registers/place_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        place = selectors.place_get(user=user, pk=kwargs["pk"])
        plan = place.floor_plan if place.located else None
        ctx.update(
            place=place,
            stocks=list(selectors.stock_list(user=user, place=place)),
            plan=plan,
            markers=[place] if plan else [],
            areas=_colour(areas_by_plan([plan])[plan.pk]) if plan else [],
            font_size=plan.label_size if plan else 12,
            marker=_marker_size(plan) if plan else 8,
            levels=LEVELS,
            may_manage=may_manage(user, place),
            history=audit.events_for(place, user)[:20],
        )
        return ctx


class PlaceEditView(_PlaceMixin, ServiceFormView):
    required_action = Action.REGISTER_MANAGE
    form_class = forms.PlaceForm
    success_message = _("已保存储存地点“%(object)s”。")

    form_edits_object = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("修改储存地点：%(p)s") % {"p": self.object}
        return ctx

    def perform(self, form):
        return services.storage_place_update(by=self.request.user, place=self.object, data=form.service_data())


class PlaceLocateView(_PlaceMixin, ServiceFormView):
    """Mark the place on a floor plan: choose the plan (``?plan=`` shows it), click the spot."""

    required_action = Action.REGISTER_MANAGE
    form_class = forms.LocateForm
    template_name = "registers/place_locate.html"
    success_message = _("已更新“%(object)s”在平面图上的位置。")

    def get_initial(self):
        place = self.object
        initial = {"floor_plan": place.floor_plan}
        if place.located:
            initial.update(plan_x=round(place.plan_x * 100, 2), plan_y=round(place.plan_y * 100, 2))
        asked = self.request.GET.get("plan", "")
        if asked.isdigit() and len(asked) < 12 and int(asked) != place.floor_plan_id:
            initial.update(floor_plan=int(asked), plan_x=None, plan_y=None)
        return initial

    def shown_plan(self, form):
        """The plan the page shows: the one chosen in the form (bound or initial), if the user's."""
        value = form["floor_plan"].value()
        if hasattr(value, "pk"):
            value = value.pk
        plans = form.fields["floor_plan"].queryset
        return plans.filter(pk=value).first() if str(value or "").isdigit() else None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = self.shown_plan(ctx["form"])
        ctx.update(
            title=_("在平面图上标注：%(p)s") % {"p": self.object},
            place=self.object,
            plan=plan,
            areas=_colour(areas_by_plan([plan])[plan.pk]) if plan else [],
            font_size=plan.label_size if plan else 12,
            marker=_marker_size(plan) if plan else 8,
            has_plans=ctx["form"].fields["floor_plan"].queryset.exists(),
        )
        return ctx

    def perform(self, form):
        plan, x, y = form.spot()
        return services.storage_place_locate(by=self.request.user, place=self.object, floor_plan=plan, x=x, y=y)


class PlaceSetActiveView(_PlaceMixin, SetActiveView):
    required_action = Action.REGISTER_MANAGE
    template_name = "registers/set_active.html"
    consequences = [_("停用后该储存地点不能再登记库存和出入库；须先出库清空、复核或作废待复核的记录。记录全部保留。")]

    def set_active(self, obj, *, note):
        return services.storage_place_set_active(by=self.request.user, place=obj, active=self.active, note=note)


class ChemicalMapView(ActionRequiredMixin, TemplateView):
    """The 一张图 of one institution (the user's own; a regulator picks one or names it with
    ``?organization=``)."""

    required_action = Action.REGISTER_VIEW
    template_name = "registers/chemical_map.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        org_id = self.request.GET.get("organization") or user.organization_id
        if not str(org_id).isdigit() or len(str(org_id)) > 12:
            raise Http404(_("未找到该记录。"))
        org = get_visible_or_404(Organization, user, pk=int(org_id))
        institutions, chemical_map = [], None
        if org.is_institution:
            chemical_map = selectors.chemical_map(user=user, organization=org)
            for entry in chemical_map["plans"]:
                _colour(entry["areas"])
                entry["font_size"] = entry["plan"].label_size
                entry["marker"] = _marker_size(entry["plan"])
        else:  # a regulator first picks the institution
            institutions = Organization.objects.visible_to(user).filter(type="institution", is_active=True)
            institutions = institutions.order_by("name")[:500]
        ctx.update(
            organization=org,
            institutions=institutions,
            map=chemical_map,
            levels=LEVELS,
            may_manage=may_manage(user) and org.pk == user.organization_id,
            table_url=f"{reverse('registers:chemical-table')}?organization={org.pk}",
            plans_exist=org.is_institution and FloorPlan.objects.filter(organization=org, is_active=True).exists(),
        )
        return ctx
