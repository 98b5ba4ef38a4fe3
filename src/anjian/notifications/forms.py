from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import StyledForm
from anjian.notifications.choices import CHANNEL_KIND_CHOICES, Audience, Kind


class PreferenceForm(StyledForm):
    email_kinds = forms.MultipleChoiceField(
        label=_("邮件提醒"), choices=Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    sms_kinds = forms.MultipleChoiceField(
        label=_("短信提醒"), choices=Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    daily_digest = forms.BooleanField(
        label=_("每日汇总邮件"),
        required=False,
        help_text=_("邮件不逐条发送，每天早上 8 点汇总前一天的未读消息发一封。"),
    )
    quiet_start = forms.TimeField(
        label=_("免打扰开始"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_end = forms.TimeField(
        label=_("免打扰结束"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("免打扰期间不发邮件和短信，结束后补发；站内消息照常。"),
    )


class ChannelForm(StyledForm):
    kind = forms.ChoiceField(label=_("渠道类型"), choices=CHANNEL_KIND_CHOICES)
    name = forms.CharField(label=_("名称"), max_length=60)
    url = forms.CharField(
        label=_("Webhook 地址或邮箱"),
        max_length=500,
        help_text=_("群机器人的 Webhook 地址；邮件渠道填写收件邮箱，多个用逗号分隔。"),
    )
    secret = forms.CharField(
        label=_("加签密钥"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("钉钉、飞书机器人开启“加签”时填写。"),
    )


class ChannelEditForm(StyledForm):
    name = forms.CharField(label=_("名称"), max_length=60)
    url = forms.CharField(label=_("Webhook 地址或邮箱"), max_length=500, required=False, help_text=_("留空则不修改。"))
    secret = forms.CharField(
        label=_("加签密钥"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("留空则不修改。"),
    )


class EscalationForm(StyledForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for audience in Audience:
            self.fields[audience.value] = forms.IntegerField(
                label=_("逾期天数 → %(who)s") % {"who": audience.label}, min_value=1, max_value=365
            )
            self.fields[audience.value].widget.attrs["class"] = "form-control"
