"""The statistics dashboard (统计分析): one page per role, its charts drawn by static/stats/dashboard.js."""

import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from anjian.core.errors import DomainError
from anjian.core.periods import Period
from anjian.core.permissions import Action, can
from anjian.stats import dashboard, forms
from anjian.stats import selectors as s

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def data_json(data) -> str:
    """The dashboard's data for ``<script type="application/json">``, readable (not ASCII-escaped),
    with <, > and & escaped as ``json_script`` does."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(text)  # noqa: S308 - <, > and & escaped, as django.utils.html.json_script does


class DashboardView(LoginRequiredMixin, TemplateView):
    """Regulators and institution leaders: the figures of their scope for a period; everyone else:
    their own due inspections and hazards. ``organization`` outside the user's scope is 404."""

    reads_from_replica = True  # core.db: heavy reads that tolerate a replica's moment of lag

    template_name = "stats/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if not can(user, Action.STATISTICS_VIEW):
            ctx["data"] = dashboard.staff_dashboard(user)
            ctx["data_json"] = data_json(ctx["data"])
            return ctx
        params = self.request.GET
        period, scope = Period.current("year"), s.Scope()
        try:
            period = Period.from_params(params, default="year")
        except DomainError as exc:
            ctx["error"] = exc.message
        org = params.get("organization") or None
        if org is not None and not str(org).isdigit():
            org = None
        try:
            scope = s.resolve_scope(user, organization=org, kind=params.get("kind", ""))
        except DomainError as exc:
            ctx["error"] = exc.message
        initial = {"period": period.kind, **period.as_params()}
        if scope.organization is not None:
            initial["organization"] = scope.organization.pk
        if scope.kind:
            initial["kind"] = scope.kind
        ctx["form"] = forms.DashboardForm(initial=initial, user=user)
        ctx["data"] = dashboard.dashboard(user, scope, period)
        ctx["data_json"] = data_json(ctx["data"])
        ctx["period"] = period
        ctx["scope"] = scope
        return ctx
