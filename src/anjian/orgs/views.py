from django.views.generic import DetailView, ListView

from anjian.core.audit import events_for
from anjian.core.permissions import Action
from anjian.core.views import ActionRequiredMixin
from anjian.orgs import selectors
from anjian.orgs.models import Organization


class OrganizationListView(ActionRequiredMixin, ListView):
    required_action = Action.ORGANIZATION_VIEW
    template_name = "orgs/organization_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.organization_list(user=self.request.user, q=self.request.GET.get("q", ""))


class OrganizationDetailView(ActionRequiredMixin, DetailView):
    required_action = Action.ORGANIZATION_VIEW
    template_name = "orgs/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user).select_related("parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["events"] = events_for(self.object, self.request.user)[:50]
        return ctx


class DepartmentListView(ActionRequiredMixin, ListView):
    required_action = Action.DEPARTMENT_MANAGE
    template_name = "orgs/department_list.html"
    paginate_by = 100

    def get_queryset(self):
        return selectors.department_list(user=self.request.user, q=self.request.GET.get("q", ""))
