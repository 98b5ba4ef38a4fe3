"""Compliance: due against done, by institution, department, post, person and schedule."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from anjian.core.errors import DomainError
from anjian.core.periods import Period
from anjian.core.permissions import Action
from anjian.core.views import ActionRequiredMixin
from anjian.inspections import forms, selectors


class ComplianceView(ActionRequiredMixin, TemplateView):
    required_action = Action.COMPLIANCE_VIEW
    template_name = "inspections/compliance.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        data = {"period": self.request.GET.get("period") or Period.current().code}
        if self.request.GET.get("organization"):
            data["organization"] = self.request.GET["organization"]
        form = forms.ComplianceForm(data, user=user)
        ctx["form"] = form
        organization = None
        if form.is_valid():
            organization = form.cleaned_data.get("organization")
        try:
            period = Period.parse(data["period"])
        except DomainError as exc:
            ctx["error"] = exc.message
            return ctx
        result = selectors.compliance(user=user, period=period, organization=organization)
        ctx["result"] = result
        ctx["groups"] = [
            ("institution", _("按机构"), result.by_institution),
            ("department", _("按科室"), result.by_department),
            ("post", _("按岗位"), result.by_post),
            ("person", _("按人员"), result.by_person),
            ("schedule", _("按计划"), result.by_schedule),
        ]
        ctx["missed"] = sorted(result.total.missed, key=lambda m: m[2].start, reverse=True)[:200]
        institution = organization if organization is not None and organization.is_institution else None
        if institution is None and user.organization is not None and user.organization.is_institution:
            institution = user.organization
        if institution is not None and period.end - period.start <= dt.timedelta(days=31):
            ctx["calendar_org"] = institution
            ctx["calendar"] = selectors.month_calendar(
                user=user, organization=institution, year=period.start.year, month=period.start.month
            )
        regulator = organization if organization is not None and organization.is_regulator else None
        if regulator is None and user.organization is not None and user.organization.is_regulator:
            regulator = user.organization
        if regulator is not None:
            quarter = (period.start.month - 1) // 3 + 1
            ctx["quarter"] = Period.quarter(period.start.year, quarter).label
            ctx["duties"] = selectors.principal_duty(
                user=user, regulator=regulator, year=period.start.year, quarter=quarter
            )
        return ctx
