"""The regulator's overview: per institution, equipment registered (by kind), overdue and due-soon
statutory inspections, chemical stocks over their limit, waste handed over this month, the fire-control
room's missing duty of the coming 7 days; each number leads to the rows behind it."""

from __future__ import annotations

from django.views.generic import TemplateView

from anjian.core.permissions import Action
from anjian.core.views import ActionRequiredMixin
from anjian.registers import selectors


class OverviewView(ActionRequiredMixin, TemplateView):
    required_action = Action.REGISTER_VIEW
    template_name = "registers/overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = selectors.jurisdiction_overview(user=self.request.user)
        ctx.update(
            rows=rows,
            kinds=selectors.kind_totals(rows),
            overdue=sum(r.overdue for r in rows),
            due_soon=sum(r.due_soon for r in rows),
            over_limit=sum(r.over_limit for r in rows),
            equipment=sum(r.equipment for r in rows),
        )
        return ctx
