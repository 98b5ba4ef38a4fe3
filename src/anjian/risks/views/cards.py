"""两单两卡: the post cards (a post's risks, duties, operation steps and emergency measures), edited
by the institution, read on a phone from the QR code at the post and acknowledged."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.core.errors import DomainError
from anjian.core.permissions import Action, can
from anjian.core.roles import Role
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, ServiceFormView
from anjian.inspections.labels import qr_svg
from anjian.orgs.models import Post
from anjian.risks import forms, selectors, services
from anjian.risks.models import CardAcknowledgement, PostCard
from anjian.risks.views.common import may_manage


class CardListView(ActionRequiredMixin, TemplateView):
    required_action = Action.RISK_VIEW
    template_name = "risks/card_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        cards = {c.post_id: c for c in selectors.card_list(user=user)}
        posts = (
            Post.objects.visible_to(user)
            .filter(is_active=True, is_front_line=True)
            .select_related("department", "organization")
            .order_by("organization__name", "department__name", "name")
        )
        if not can(user, Action.RISK_MANAGE):
            posts = posts.filter(pk__in=cards)
        ctx["rows"] = [{"post": p, "card": cards.get(p.pk)} for p in posts[:500]]
        ctx["may_manage"] = can(user, Action.RISK_MANAGE)
        ctx["mine"] = selectors.card_of_user(user)
        return ctx


class CardEditView(ServiceFormView):
    required_action = Action.RISK_MANAGE
    template_name = "risks/form.html"
    form_class = forms.PostCardForm
    success_message = _("已保存“%(object)s”的两单两卡。")

    def get_object(self):
        return get_visible_or_404(Post.objects.select_related("department"), self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        card = PostCard.objects.filter(post=self.object).first()
        if card is None:
            return {}
        initial = {"duties": card.duties, "operation_steps": card.operation_steps}
        for n, e in enumerate(card.emergencies.filter(version=card.version)[: forms.PostCardForm.EMERGENCY_SLOTS], 1):
            for k in ("incident", "alarm", "isolate", "rescue", "report", "phones"):
                initial[f"e{n}_{k}"] = getattr(e, k)
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("编制两单两卡：%(p)s") % {"p": self.object}
        return ctx

    def perform(self, form):
        card = services.post_card_save(
            by=self.request.user, post=self.object, data=form.cleaned_data, emergencies=form.emergencies()
        )
        self.card = card
        return self.object

    def get_success_url(self):
        return self.card.get_absolute_url()


def _card_context(request, card: PostCard) -> dict:
    user = request.user
    scan_url = request.build_absolute_uri(reverse("risks:card-scan", args=[card.code]))
    return {
        "card": card,
        "risks": selectors.card_risks(card),
        "emergencies": list(card.emergencies.filter(version=card.version)),
        "acknowledged": CardAcknowledgement.objects.filter(card=card, user=user, version=card.version).first(),
        "may_acknowledge": user.organization_id == card.organization_id,
        "qr": qr_svg(scan_url, scale=3),
        "scan_url": scan_url,
    }


def _visible_card(user, **lookup) -> PostCard:
    cards = PostCard.objects.select_related("post", "post__department", "organization")
    return get_visible_or_404(cards, user, **lookup)


class CardDetailView(ActionRequiredMixin, TemplateView):
    """The four parts on one page; printed as A5 cards (print CSS), with the post's QR code."""

    required_action = Action.RISK_VIEW
    template_name = "risks/card_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        card = _visible_card(self.request.user, pk=kwargs["pk"])
        ctx.update(_card_context(self.request, card))
        ctx["may_manage"] = may_manage(self.request.user, card)
        if can(self.request.user, Action.RISK_MANAGE) or self.request.user.role != Role.STAFF:
            ctx["acks"] = card.acknowledgements.select_related("user").order_by("-acknowledged_at")[:100]
        return ctx


class CardScanView(ActionRequiredMixin, TemplateView):
    """What the QR code at the post opens: the cards for a phone, and the acknowledgement."""

    required_action = Action.RISK_VIEW
    template_name = "risks/card_scan.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        card = _visible_card(self.request.user, code=kwargs["code"])
        ctx.update(_card_context(self.request, card))
        return ctx


class CardAcknowledgeView(ActionRequiredMixin, View):
    required_action = Action.RISK_VIEW

    def post(self, request, pk):
        card = get_visible_or_404(PostCard, request.user, pk=pk)
        try:
            services.post_card_acknowledge(by=request.user, card=card)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已确认学习本岗位两单两卡（第%(v)s版）。") % {"v": card.version})
        return HttpResponseRedirect(reverse("risks:card-scan", args=[card.code]))
