from __future__ import annotations

from rest_framework import serializers

from anjian.core.api import FieldsOnce, IdField
from anjian.hazards.choices import HazardLevel
from anjian.oversight.models import Tip


class TipInSerializer(serializers.Serializer):
    organization = IdField(required=False, allow_null=True, help_text="被举报的机构（或地址所在辖区的卫健委）的 id")
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    location = serializers.CharField(required=False, allow_blank=True, max_length=200)
    description = serializers.CharField(max_length=2000)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="可选，加密保存")
    photos = serializers.ListField(child=serializers.ImageField(), required=False, max_length=6)
    challenge = serializers.CharField(max_length=500, help_text="GET …/public/tips/challenge/ 得到的 token")
    answer = serializers.CharField(max_length=10, help_text="验证题的答案")


class InternalTipInSerializer(serializers.Serializer):
    location = serializers.CharField(required=False, allow_blank=True, max_length=200)
    description = serializers.CharField(max_length=2000)
    contact = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="可选：账号以外的联系方式，加密保存"
    )
    photos = serializers.ListField(child=serializers.ImageField(), required=False, max_length=6)


class ReceiptSerializer(serializers.Serializer):
    receipt_code = serializers.CharField()


class ChallengeSerializer(serializers.Serializer):
    question = serializers.CharField()
    token = serializers.CharField()


class PublicStatusSerializer(serializers.Serializer):
    receipt_code = serializers.CharField()
    submitted_on = serializers.DateField()
    status = serializers.ChoiceField(choices=["received", "accepted", "closed", "dismissed"])
    status_label = serializers.CharField()
    reply = serializers.CharField(allow_blank=True)
    replied_at = serializers.DateTimeField(allow_null=True)


class OwnTipSerializer(PublicStatusSerializer):
    number = serializers.CharField()
    description = serializers.CharField()
    reward_approved = serializers.BooleanField()


class TipSerializer(FieldsOnce, serializers.ModelSerializer):
    """A tip in the regulator's queue. The contact is not here: ``POST …/{id}/contact/`` (audited)."""

    organization_name = serializers.CharField(source="organization.name", default="", read_only=True)
    hazard_number = serializers.CharField(source="hazard.number", default="", read_only=True)
    photo_count = serializers.IntegerField(source="photo_total", read_only=True, default=0)

    class Meta:
        model = Tip
        fields = [
            "id",
            "number",
            "created_at",
            "regulator",
            "organization",
            "organization_name",
            "address",
            "location",
            "description",
            "has_contact",
            "is_internal",
            "status",
            "hazard",
            "hazard_number",
            "dismiss_reason",
            "reply",
            "replied_at",
            "reward_status",
            "reward_amount",
            "photo_count",
        ]
        read_only_fields = fields


class TipAcceptInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(
        max_length=2000,
        help_text="隐患描述（由受理人撰写）：机构看到的是它而不是举报原文，请勿包含举报人的姓名、电话；"
        "举报照片（已去除 EXIF）作为整改前照片一并登记",
    )
    category = IdField()
    level = serializers.ChoiceField(choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    criterion = IdField(required=False, allow_null=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    organization = IdField(required=False, allow_null=True, help_text="举报只写了地址时：隐患所在机构")
    reply = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class HazardRefSerializer(serializers.Serializer):
    hazard = serializers.IntegerField()
    number = serializers.CharField()


class TipDismissInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    reply = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class TipReplyInSerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=1000)


class ContactSerializer(serializers.Serializer):
    contact = serializers.CharField(allow_blank=True)
    reporter = serializers.CharField(allow_blank=True, help_text="内部举报的举报人账号；公众举报为空")
