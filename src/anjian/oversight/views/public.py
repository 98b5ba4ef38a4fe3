"""The public pages of tip-offs, served without login: the form (reachable by the QR code on the
posters in every institution: ``?org=<id>`` names the institution), the search of institutions it
uses, and the status page a reporter opens with the receipt code. They show no organization's data
beyond the names the public may search, and nothing of the ledger."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View

from anjian.core.errors import DomainError
from anjian.core.inputs import id_or_none
from anjian.core.middleware import client_address
from anjian.core.scoping import get_visible_or_404
from anjian.inspections.labels import qr_svg
from anjian.orgs.models import Organization
from anjian.oversight import abuse, selectors, services
from anjian.oversight.forms import TipForm, TipStatusForm
from anjian.oversight.models import Tip


def _fresh_form(initial=None) -> tuple[TipForm, abuse.Challenge]:
    challenge = abuse.challenge_new()
    return TipForm(initial={**(initial or {}), "challenge": challenge.token}), challenge


class TipNewView(View):
    template_name = "oversight/tip_new.html"

    def get(self, request):
        initial, chosen = {}, None
        org = id_or_none(request.GET.get("org"))
        if org is not None:
            chosen = TipForm.base_fields["organization"].queryset.filter(pk=org).first()
            initial["organization"] = chosen.pk if chosen else None
        form, challenge = _fresh_form(initial)
        return render(request, self.template_name, {"form": form, "question": challenge.question, "chosen": chosen})

    def post(self, request):
        form = TipForm(request.POST, request.FILES)
        chosen, status = None, 200
        try:
            abuse.check_rate(client_address(request))
            if form.is_valid():
                chosen = form.cleaned_data.get("organization")
                abuse.challenge_check(form.cleaned_data["challenge"], form.cleaned_data["answer"])
                tip = services.tip_submit(data=form.cleaned_data, photos=form.cleaned_data.get("photos") or [])
                return render(request, "oversight/tip_receipt.html", {"tip": tip})
        except DomainError as exc:
            form.add_domain_error(exc)
            status = exc.status_code if exc.status_code == 429 else 200
        challenge = abuse.challenge_new()  # a new question for the next try: each is good once
        data = form.data.copy()
        data["challenge"], data["answer"] = challenge.token, ""
        form.data = data
        context = {"form": form, "question": challenge.question, "chosen": chosen}
        return render(request, self.template_name, context, status=status)


def tip_targets(request):
    """The institutions (and district commissions) matching ``q``, as choices for the form."""
    q = request.GET.get("q", "")[:50]
    return render(request, "oversight/_tip_targets.html", {"targets": selectors.tip_targets(q), "q": q})


class TipStatusView(View):
    """The reporter's page: the receipt code in, the status and the regulator's reply out."""

    template_name = "oversight/tip_status.html"

    def get(self, request):
        return render(request, self.template_name, {"form": TipStatusForm()})

    def post(self, request):
        form = TipStatusForm(request.POST)
        answer = None
        if form.is_valid():
            try:
                abuse.check_rate(client_address(request), scope="status", limit=30)
            except DomainError as exc:
                form.add_domain_error(exc)
                return render(request, self.template_name, {"form": form}, status=429)
            tip: Tip | None = selectors.tip_public(form.cleaned_data["code"])
            if tip is None:
                form.add_error("code", _("未找到该回执码，请核对后重新输入（共 12 位字母和数字）。"))
            else:
                answer = selectors.tip_public_answer(tip)
        return render(request, self.template_name, {"form": form, "answer": answer})


class TipPosterView(LoginRequiredMixin, View):
    """The poster for an institution's walls: its name and the QR code of the tip form naming it."""

    def get(self, request, pk):
        organization = get_visible_or_404(Organization.objects.filter(type="institution"), request.user, pk=pk)
        url = request.build_absolute_uri(reverse("oversight:tip-new") + f"?org={organization.pk}")
        return render(
            request,
            "oversight/tip_poster.html",
            {"organization": organization, "qr": mark_safe(qr_svg(url, scale=8)), "url": url},  # noqa: S308 - segno's SVG
        )
