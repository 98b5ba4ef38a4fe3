"""The fire-safety file of an institution: the posted 消防安全责任人 / 管理人, the fire-control room
duty (the training app's roster: two certified people per shift, days without a shift marked), the
monthly fire checks (records of the inspections app's 月度防火检查表, months without one marked), the
fire facilities with their annual detection and its report. A regulator opens an institution's with
``?organization=``."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, ServiceFormView
from anjian.orgs.models import Organization
from anjian.registers import forms, selectors, services
from anjian.registers.choices import FireDuty
from anjian.registers.views.common import decorate, may_manage


class FireFileView(ActionRequiredMixin, TemplateView):
    required_action = Action.REGISTER_VIEW
    template_name = "registers/fire_file.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        org_id = self.request.GET.get("organization") or user.organization_id
        if not str(org_id).isdigit():
            raise Http404(_("未找到该记录。"))
        org = get_visible_or_404(Organization, user, pk=int(org_id))
        institutions = []
        if not org.is_institution:  # a regulator first picks the institution
            institutions = Organization.objects.visible_to(user).filter(type="institution", is_active=True)
            institutions = institutions.order_by("name")[:500]
        file = selectors.fire_file(user=user, organization=org) if org.is_institution else None
        if file is not None:
            file["facilities"] = decorate(file["facilities"])
        # who is on duty in the fire-control room is shown to those who may read the roster itself
        duty = None
        if file is not None and can(user, Action.CERTIFICATE_VIEW):
            duty = selectors.fire_room_duty(user=user, organization=org)
        ctx.update(
            organization=org,
            institutions=institutions,
            file=file,
            duty=duty,
            roster_url=f"{reverse('training:roster')}?organization={org.pk}",
            duties=[(d, (file or {}).get("people", {}).get(d.value)) for d in FireDuty],
            may_manage=may_manage(user) and org.pk == user.organization_id,
            records_url=reverse("inspections:record-list") + "?q=" + "月度防火检查表",
        )
        return ctx


class FirePersonView(ServiceFormView):
    required_action = Action.REGISTER_MANAGE
    form_class = forms.FirePersonForm
    success_message = _("已更新公示。")

    extra_context = {
        "title": _("任命消防安全责任人/管理人"),
        "note": _("新任命后，原任人员记为卸任并保留在记录中。"),
    }

    def get_initial(self):
        duty = self.request.GET.get("duty")
        return {"duty": duty if duty in FireDuty.values else FireDuty.MANAGER, "appointed_on": timezone.localdate()}

    def perform(self, form):
        d = form.cleaned_data
        return services.fire_person_appoint(by=self.request.user, duty=d["duty"], data=d)

    def get_success_url(self):
        return reverse("registers:fire-file")
