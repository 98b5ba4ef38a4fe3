"""The system administrator's page for the audit trail's integrity (``anjian.core.integrity``):
the last periodic verification, a verification on demand, the recent results and the archives."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from anjian.core import integrity
from anjian.core.models import AuditArchive, AuditChainCheck
from anjian.core.permissions import Action
from anjian.core.views import ActionRequiredMixin

RECENT = 10


class AuditIntegrityView(ActionRequiredMixin, TemplateView):
    required_action = Action.AUDIT_VERIFY
    template_name = "core/audit_integrity.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        checks = AuditChainCheck.objects.select_related("checked_by")
        ctx["last_periodic"] = checks.filter(source=AuditChainCheck.Source.COMMAND).first()
        ctx["recent"] = list(checks[:RECENT])
        ctx["latest"] = ctx["recent"][0] if ctx["recent"] else None
        ctx["archives"] = list(AuditArchive.objects.all()[:RECENT])
        try:
            ctx["retention_days"] = integrity.retention_days()
        except ImproperlyConfigured as exc:
            ctx["retention_error"] = str(exc)
        return ctx

    def post(self, request, *args, **kwargs):
        check, _report = integrity.chain_check(by=request.user, source=AuditChainCheck.Source.PAGE)
        if check.ok:
            messages.success(request, _("校验通过：%(n)s 条操作记录完整，未发现篡改。") % {"n": check.events})
        else:
            messages.error(
                request,
                _("校验未通过：第 %(id)s 条记录起发现 %(n)s 处问题，详见下方。")
                % {"id": check.problem_event_id, "n": check.problem_count},
            )
        return HttpResponseRedirect(reverse("core:audit-integrity"))
