"""What the notifications API reads and answers. A channel's secret is never answered in full."""

from __future__ import annotations

from rest_framework import serializers

from anjian.core.crypto import mask
from anjian.notifications import services
from anjian.notifications.choices import CHANNEL_KIND_CHOICES, Kind
from anjian.notifications.models import Channel, Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class ChannelSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    url = serializers.SerializerMethodField(help_text="Webhook 地址（其中的密钥部分已隐藏）或收件邮箱")
    secret = serializers.SerializerMethodField(help_text="加签密钥，仅显示首尾几位；未设置为空")
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = [
            "id",
            "organization",
            "organization_name",
            "kind",
            "kind_label",
            "name",
            "url",
            "secret",
            "has_secret",
            "is_active",
            "created_at",
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return services.masked_url(obj.webhook_url)

    def get_secret(self, obj) -> str:
        return mask(obj.signing_secret)

    def get_has_secret(self, obj) -> bool:
        return bool(obj.secret)


class ChannelInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CHANNEL_KIND_CHOICES)
    name = serializers.CharField(max_length=60)
    url = serializers.CharField(max_length=500)
    secret = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    organization = serializers.IntegerField(required=False, help_text="所属机构（默认本单位；监管部门可为辖区内机构）")


class ChannelUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60, required=False)
    url = serializers.CharField(max_length=500, required=False)
    secret = serializers.CharField(max_length=200, required=False, allow_blank=True)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PreferenceSerializer(serializers.Serializer):
    email_kinds = serializers.ListField(child=serializers.ChoiceField(choices=Kind.choices), required=False)
    sms_kinds = serializers.ListField(child=serializers.ChoiceField(choices=Kind.choices), required=False)
    quiet_start = serializers.TimeField(required=False, allow_null=True, format="%H:%M")
    quiet_end = serializers.TimeField(required=False, allow_null=True, format="%H:%M")
    daily_digest = serializers.BooleanField(required=False, help_text="邮件每天汇总一封，不逐条发送")
