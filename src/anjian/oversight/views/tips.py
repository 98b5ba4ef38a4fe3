"""The regulator's tip queue: the list, a tip's page (photos; the contact, and an internal tip's
reporter, on request: audited), and its actions (accept into the ledger, dismiss, reply, reward and
its approval)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from anjian.core.images import photo_response
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, FilteredListView, ServiceFormView
from anjian.oversight import selectors, services
from anjian.oversight.choices import RewardStatus, TipStatus
from anjian.oversight.forms import (
    TipAcceptForm,
    TipDismissForm,
    TipFilterForm,
    TipReplyForm,
    TipRewardDecisionForm,
    TipRewardForm,
)
from anjian.oversight.models import Tip, TipPhoto


class TipQueueView(FilteredListView):
    required_action = Action.TIP_HANDLE
    template_name = "oversight/tip_queue.html"
    filter_form_class = TipFilterForm
    context_object_name = "tips"

    def get_filtered_queryset(self, status="", **_filters):
        return selectors.tip_list(user=self.request.user, status=status)


def _tip(request, pk) -> Tip:
    return get_visible_or_404(Tip.objects.select_related("organization", "regulator", "hazard"), request.user, pk=pk)


class TipDetailView(ActionRequiredMixin, View):
    required_action = Action.TIP_HANDLE

    def get(self, request, pk):
        return render(request, "oversight/tip_detail.html", _detail_context(request, _tip(request, pk)))


def _detail_context(request, tip: Tip, **extra) -> dict:
    user = request.user
    received = tip.status == TipStatus.RECEIVED
    return {
        "tip": tip,
        "photos": list(tip.photos.all()),
        "may_accept": received,
        "may_reward": tip.status == TipStatus.ACCEPTED
        and tip.reward_status in (RewardStatus.NONE, RewardStatus.REFUSED),
        "may_decide": tip.reward_status == RewardStatus.PROPOSED
        and can(user, Action.TIP_REWARD_APPROVE)
        and tip.reward_proposed_by_id != user.pk,
        **extra,
    }


class TipContactView(ActionRequiredMixin, View):
    """POST only: the contact is shown on the tip's page once per request, and the read audited."""

    required_action = Action.TIP_HANDLE
    http_method_names = ["post"]

    def post(self, request, pk):
        tip = _tip(request, pk)
        who = services.tip_reporter(tip=tip, by=request.user)
        return render(request, "oversight/tip_detail.html", _detail_context(request, tip, revealed=True, **who))


class TipPhotoView(ActionRequiredMixin, View):
    required_action = Action.TIP_HANDLE

    def get(self, request, pk):
        photo = get_visible_or_404(TipPhoto, request.user, pk=pk)
        return photo_response(photo.thumbnail if request.GET.get("thumb") else photo.image)


class _TipActionView(ServiceFormView):
    required_action = Action.TIP_HANDLE
    heading = ""

    def get_object(self):
        return _tip(self.request, self.kwargs["pk"])

    def get_success_url(self):
        return reverse("oversight:tip-detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = f"{self.heading} · {self.object.number}"
        ctx["note"] = self.object.description[:200]
        return ctx


class TipAcceptView(_TipActionView):
    form_class = TipAcceptForm
    heading = _("受理举报，登记隐患")
    success_message = _("已受理，隐患已登记到机构的隐患台账。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tip": self.object}

    def get_initial(self):
        tip = self.object
        return {"title": tip.description[:40], "description": tip.description, "location": tip.location}

    def perform(self, form):
        return services.tip_accept(
            tip=self.object, by=self.request.user, data=form.cleaned_data, reply=form.cleaned_data.get("reply") or ""
        )


class TipDismissView(_TipActionView):
    form_class = TipDismissForm
    heading = _("不予受理")
    success_message = _("已不予受理。")

    def perform(self, form):
        d = form.cleaned_data
        return services.tip_dismiss(
            tip=self.object, by=self.request.user, reason=d["reason"], reply=d.get("reply") or ""
        )


class TipReplyView(_TipActionView):
    form_class = TipReplyForm
    heading = _("答复举报人")
    success_message = _("已答复，举报人凭回执码可以看到。")

    def get_initial(self):
        return {"reply": self.object.reply}

    def perform(self, form):
        return services.tip_reply(tip=self.object, by=self.request.user, reply=form.cleaned_data["reply"])


class TipRewardView(_TipActionView):
    form_class = TipRewardForm
    heading = _("提出举报奖励")
    success_message = _("已提出奖励，待其他监管人员审批。")

    def perform(self, form):
        d = form.cleaned_data
        return services.tip_reward_propose(
            tip=self.object, by=self.request.user, amount=d["amount"], note=d.get("note") or ""
        )


class TipRewardDecideView(_TipActionView):
    required_action = Action.TIP_REWARD_APPROVE
    form_class = TipRewardDecisionForm
    heading = _("审批举报奖励")

    def perform(self, form):
        d = form.cleaned_data
        tip = services.tip_reward_decide(
            tip=self.object, by=self.request.user, approve=d["decision"] == "approve", note=d.get("note") or ""
        )
        messages.success(self.request, _("已审批：%(s)s。") % {"s": tip.get_reward_status_display()})
        return tip
