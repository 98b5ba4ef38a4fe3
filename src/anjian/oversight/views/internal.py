"""Internal tips (内部举报, seed 002 #23): a signed-in staff member tips off a hazard of their own
institution to its regulator, on the same path as the public, and follows their own tips. The
institution never sees who: the tip stays with the regulator's handlers."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View

from anjian.core.errors import DomainError
from anjian.oversight import abuse, selectors, services
from anjian.oversight.forms import InternalTipForm


def _institution(user):
    org = user.organization
    return org if org is not None and org.is_institution and org.is_active else None


class TipInternalView(LoginRequiredMixin, View):
    template_name = "oversight/tip_internal.html"

    def get(self, request):
        return render(
            request, self.template_name, {"form": InternalTipForm(), "institution": _institution(request.user)}
        )

    def post(self, request):
        form = InternalTipForm(request.POST, request.FILES)
        status = 200
        try:
            abuse.check_rate(abuse.account_key(request.user), scope="tip-internal")
            if form.is_valid():
                d = form.cleaned_data
                tip = services.tip_submit_internal(by=request.user, data=d, photos=d.get("photos") or [])
                return render(request, "oversight/tip_receipt.html", {"tip": tip})
        except DomainError as exc:
            form.add_domain_error(exc)
            status = exc.status_code if exc.status_code in (403, 429) else 200
        context = {"form": form, "institution": _institution(request.user)}
        return render(request, self.template_name, context, status=status)


class TipMineView(LoginRequiredMixin, View):
    """The signed-in reporter's own internal tips: status, reply, reward; nothing of anyone else's."""

    def get(self, request):
        answers = [selectors.tip_own_answer(t) for t in selectors.tip_list_mine(user=request.user)[:200]]
        return render(request, "oversight/tip_mine.html", {"answers": answers})
