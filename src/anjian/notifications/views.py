"""The pages: the inbox (everyone's own), one's preferences, an organization's channels with the
delivery log, and the escalation ladder."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from anjian.core.crypto import mask
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, ServiceFormView, SetActiveView
from anjian.notifications import preferences, selectors, services
from anjian.notifications.forms import ChannelEditForm, ChannelForm, EscalationForm, PreferenceForm
from anjian.notifications.models import Channel, Notification
from anjian.notifications.scan import ladder


class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    paginate_by = 30
    context_object_name = "items"

    def get_queryset(self):
        return selectors.inbox(user=self.request.user, unread=self.request.GET.get("unread") == "1")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["unread_only"] = self.request.GET.get("unread") == "1"
        ctx["can_manage_channels"] = can(self.request.user, Action.NOTIFICATION_CHANNEL_MANAGE)
        ctx["can_manage_escalation"] = can(self.request.user, Action.ESCALATION_MANAGE)
        return ctx


def _own(request, pk: int) -> Notification:
    return get_object_or_404(Notification, pk=pk, recipient=request.user)  # another's is 404 like missing


class OpenView(LoginRequiredMixin, View):
    """Follow a message's link: marked read, then to the object's page. A POST only (the inbox's
    title is a small form): a GET, such as a chat app's link preview, marks nothing read."""

    def post(self, request, pk: int):
        item = _own(request, pk)
        services.notification_mark_read(notification=item, by=request.user)
        safe = item.url and url_has_allowed_host_and_scheme(item.url, allowed_hosts={request.get_host()})
        return HttpResponseRedirect(item.url if safe else reverse("notifications:inbox"))


class ReadView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        services.notification_mark_read(notification=_own(request, pk), by=request.user)
        return HttpResponseRedirect(reverse("notifications:inbox"))


class ReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        services.notifications_mark_all_read(by=request.user)
        return HttpResponseRedirect(reverse("notifications:inbox"))


class PreferenceView(ServiceFormView):
    form_class = PreferenceForm
    success_message = _("提醒设置已保存。")

    def get_initial(self):
        pref = preferences.of(self.request.user)
        return {
            "email_kinds": pref.email_kinds,
            "sms_kinds": pref.sms_kinds,
            "quiet_start": pref.quiet_start,
            "quiet_end": pref.quiet_end,
            "daily_digest": pref.daily_digest,
        }

    def perform(self, form):
        services.preference_save(by=self.request.user, data=form.cleaned_data)

    def get_success_url(self):
        return reverse("notifications:preferences")

    def get_cancel_url(self) -> str:
        return reverse("notifications:inbox")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("提醒设置")
        user = self.request.user
        ctx["note"] = _("邮件发往 %(email)s，短信发往 %(phone)s（在个人资料中填写）。") % {
            "email": user.email or _("（未填写邮箱）"),
            "phone": user.phone or _("（未填写手机号）"),
        }
        return ctx


class ChannelListView(ActionRequiredMixin, TemplateView):
    required_action = Action.NOTIFICATION_CHANNEL_MANAGE
    template_name = "notifications/channels.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        channels = list(selectors.channel_list(user=user))
        for channel in channels:
            channel.shown_url = services.masked_url(channel.webhook_url)
            channel.shown_secret = mask(channel.signing_secret)
        ctx["channels"] = channels
        ctx["deliveries"] = list(selectors.delivery_list(user=user)[:50])
        return ctx


class ChannelCreateView(ServiceFormView):
    required_action = Action.NOTIFICATION_CHANNEL_MANAGE
    form_class = ChannelForm
    success_message = _("消息渠道已添加。")

    def perform(self, form):
        if self.request.user.organization is None:
            raise Http404
        return services.channel_create(
            by=self.request.user, organization=self.request.user.organization, data=form.cleaned_data
        )

    def get_success_url(self):
        return reverse("notifications:channels")

    def get_cancel_url(self) -> str:
        return reverse("notifications:channels")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("添加消息渠道")
        return ctx


class ChannelEditView(ServiceFormView):
    required_action = Action.NOTIFICATION_CHANNEL_MANAGE
    form_class = ChannelEditForm
    success_message = _("消息渠道已保存。")

    def get_object(self):
        return get_visible_or_404(Channel, self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        return {"name": self.object.name}

    def perform(self, form):
        data = {"name": form.cleaned_data["name"]}
        for name in ("url", "secret"):
            if form.cleaned_data.get(name):
                data[name] = form.cleaned_data[name]
        return services.channel_update(by=self.request.user, channel=self.object, data=data)

    def get_success_url(self):
        return reverse("notifications:channels")

    def get_cancel_url(self) -> str:
        return reverse("notifications:channels")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("修改消息渠道")
        ctx["note"] = _("当前地址：%(url)s") % {"url": services.masked_url(self.object.webhook_url)}
        return ctx


class ChannelSetActiveView(SetActiveView):
    required_action = Action.NOTIFICATION_CHANNEL_MANAGE
    template_name = "notifications/set_active.html"
    consequences = [_("停用后不再向该渠道发送消息；发送记录全部保留。")]

    def get_object(self):
        return get_visible_or_404(Channel, self.request.user, pk=self.kwargs["pk"])

    def set_active(self, obj, *, note: str):
        return services.channel_set_active(by=self.request.user, channel=obj, active=self.active, note=note)

    def get_success_url(self):
        return reverse("notifications:channels")


class EscalationView(ServiceFormView):
    required_action = Action.ESCALATION_MANAGE
    form_class = EscalationForm
    success_message = _("逐级督办设置已保存。")

    def get_initial(self):
        return {audience: days for days, audience in ladder()}

    def perform(self, form):
        services.escalation_save(by=self.request.user, days=form.cleaned_data)

    def get_success_url(self):
        return reverse("notifications:escalation")

    def get_cancel_url(self) -> str:
        return reverse("notifications:inbox")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("逐级督办")
        ctx["note"] = _(
            "隐患超过整改期限仍未销号的，按逾期天数逐级提醒：科室负责人、安全管理员、主要负责人、监管部门，每级只提醒一次。"
        )
        return ctx
