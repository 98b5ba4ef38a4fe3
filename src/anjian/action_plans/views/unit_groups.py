"""Unit groups: the words of task tables and the institutions they stand for."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from anjian.action_plans import forms, services
from anjian.action_plans.models import UnitGroup
from anjian.core.permissions import Action
from anjian.core.views import ActionRequiredMixin, ServiceFormView


class UnitGroupListView(ActionRequiredMixin, TemplateView):
    """The words of task tables and the institutions they stand for, with the count in the user's jurisdiction."""

    required_action = Action.UNIT_GROUP_MANAGE
    template_name = "action_plans/unit_group_list.html"

    def get_context_data(self, **kwargs):
        from anjian.orgs.models import Organization

        ctx = super().get_context_data(**kwargs)
        institutions = list(
            Organization.objects.visible_to(self.request.user)
            .filter(type="institution", is_active=True)
            .values("kind", "ownership")
        )
        rows = []
        for group in UnitGroup.objects.all():
            count = sum(
                1
                for i in institutions
                if group.all_institutions
                or (
                    (not group.kinds or i["kind"] in group.kinds)
                    and (
                        not group.ownership
                        or i["ownership"] != ("private" if group.ownership == "public" else "public")
                    )
                )
            )
            rows.append((group, count))
        ctx["rows"] = rows
        return ctx


class UnitGroupFormMixin:
    required_action = Action.UNIT_GROUP_MANAGE
    template_name = "core/form.html"
    form_class = forms.UnitGroupForm

    def get_success_url(self):
        return reverse("action_plans:unit-group-list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["heading"] = _("单位分组")
        ctx["cancel_url"] = reverse("action_plans:unit-group-list")
        return ctx


class UnitGroupCreateView(UnitGroupFormMixin, ServiceFormView):
    def perform(self, form):
        return services.unit_group_create(by=self.request.user, data=form.service_data())

    success_message = _("已新建单位分组。")


class UnitGroupUpdateView(UnitGroupFormMixin, ServiceFormView):
    def get_object(self):
        try:
            return UnitGroup.objects.get(pk=self.kwargs["pk"])
        except UnitGroup.DoesNotExist as exc:
            raise Http404 from exc

    def get_initial(self):
        g = self.object
        return {
            "name": g.name,
            "keyword_text": "\n".join(g.keywords),
            "kinds": g.kinds,
            "ownership": g.ownership,
            "all_institutions": g.all_institutions,
            "sort_order": g.sort_order,
        }

    def perform(self, form):
        return services.unit_group_update(by=self.request.user, group=self.object, data=form.service_data())

    success_message = _("已保存单位分组。")
