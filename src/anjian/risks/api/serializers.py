"""What the risks API reads and answers. Input serializers only bind types; every rule (the values
a method's table allows, the institution's own objects, who may write) is the services'."""

from __future__ import annotations

from rest_framework import serializers

from anjian.risks import selectors
from anjian.risks.choices import AccidentType, Colour, ControlTier, MeasureType, MethodCode, PointKind, RiskLevel
from anjian.risks.models import ControlMeasure, EmergencyProcedure, PostCard, Risk, RiskPoint

FACTOR = dict(max_digits=8, decimal_places=2, required=False, allow_null=True)


class RiskPointSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None, allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    top_level = serializers.SerializerMethodField(
        help_text="该风险点最高风险等级（major/significant/general/low），无风险为 null"
    )
    risk_count = serializers.IntegerField(read_only=True, default=0, help_text="启用的风险数")

    class Meta:
        model = RiskPoint
        fields = [
            "id",
            "organization",
            "organization_name",
            "name",
            "kind",
            "kind_label",
            "department",
            "department_name",
            "building",
            "floor",
            "area",
            "description",
            "is_active",
            "top_level",
            "risk_count",
        ]
        read_only_fields = fields

    def get_top_level(self, point) -> str | None:
        from anjian.risks.choices import LEVEL_OF_RANK

        rank = getattr(point, "top_rank", None)
        return str(LEVEL_OF_RANK[rank]) if rank else None


class RiskPointInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=PointKind.choices, default=PointKind.PLACE)
    department = serializers.IntegerField(required=False, allow_null=True)
    building = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    floor = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    area = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")


class MeasureSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(source="get_type_display", read_only=True)
    tier_label = serializers.CharField(source="get_tier_display", read_only=True)
    responsible_post_name = serializers.CharField(
        source="responsible_post.name", read_only=True, default=None, allow_null=True
    )
    responsible_person_name = serializers.CharField(
        source="responsible_person.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = ControlMeasure
        fields = [
            "id",
            "risk",
            "type",
            "type_label",
            "tier",
            "tier_label",
            "text",
            "responsible_post",
            "responsible_post_name",
            "responsible_person",
            "responsible_person_name",
            "key",
            "is_active",
        ]
        read_only_fields = fields


class MeasureInSerializer(serializers.Serializer):
    risk = serializers.IntegerField()
    type = serializers.ChoiceField(choices=MeasureType.choices)
    tier = serializers.ChoiceField(choices=ControlTier.choices)
    text = serializers.CharField(max_length=300)
    responsible_post = serializers.IntegerField(required=False, allow_null=True)
    responsible_person = serializers.IntegerField(required=False, allow_null=True)


class RiskSerializer(serializers.ModelSerializer):
    risk_point_name = serializers.CharField(source="risk_point.name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    accident_type_label = serializers.CharField(source="get_accident_type_display", read_only=True)
    method = serializers.ChoiceField(source="method.code", choices=MethodCode.choices, read_only=True)
    method_version = serializers.IntegerField(source="method.version", read_only=True, help_text="评价所用方法表的版本")
    score = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False, read_only=True)
    level = serializers.ChoiceField(choices=RiskLevel.choices, read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    colour = serializers.ChoiceField(choices=Colour.choices, read_only=True, help_text="red / orange / yellow / blue")
    measure_count = serializers.IntegerField(read_only=True, default=None, help_text="启用的管控措施数")
    is_checked = serializers.BooleanField(read_only=True, default=None, help_text="有管控措施列入已发布的检查表")
    needs_reassessment = serializers.SerializerMethodField(help_text="近期隐患反复出现或已过复评日期")

    class Meta:
        model = Risk
        fields = [
            "id",
            "organization",
            "organization_name",
            "risk_point",
            "risk_point_name",
            "name",
            "accident_type",
            "accident_type_label",
            "description",
            "method",
            "method_version",
            "factors",
            "score",
            "level",
            "level_label",
            "colour",
            "review_on",
            "assessed_at",
            "measure_count",
            "is_checked",
            "needs_reassessment",
            "is_active",
        ]
        read_only_fields = fields

    def get_needs_reassessment(self, risk) -> bool:
        return selectors.needs_reassessment(risk)


class RiskDetailSerializer(RiskSerializer):
    measures = serializers.SerializerMethodField()

    class Meta(RiskSerializer.Meta):
        fields = [*RiskSerializer.Meta.fields, "measures"]
        read_only_fields = fields

    def get_measures(self, risk) -> list[dict]:
        return MeasureSerializer(
            risk.measures.filter(is_active=True).select_related("responsible_post", "responsible_person"), many=True
        ).data


class RatingInSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=MethodCode.choices, help_text="LEC（l、e、c）或 LS（l、s）")
    l = serializers.DecimalField(**FACTOR, help_text="L 可能性")  # noqa: E741
    e = serializers.DecimalField(**FACTOR, help_text="E 暴露频繁程度（LEC）")
    c = serializers.DecimalField(**FACTOR, help_text="C 后果（LEC）")
    s = serializers.DecimalField(**FACTOR, help_text="S 严重性（LS）")
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def factors(self) -> dict:
        return {k: self.validated_data.get(k) for k in ("l", "e", "c", "s") if self.validated_data.get(k) is not None}


class RiskInSerializer(RatingInSerializer):
    risk_point = serializers.IntegerField()
    name = serializers.CharField(max_length=200)
    accident_type = serializers.ChoiceField(choices=AccidentType.choices, default=AccidentType.OTHER)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    review_on = serializers.DateField(required=False, allow_null=True, input_formats=["%Y-%m-%d"])


class EmergencySerializer(serializers.ModelSerializer):
    class Meta:
        model = EmergencyProcedure
        fields = ["incident", "alarm", "isolate", "rescue", "report", "phones"]
        read_only_fields = fields


class PostCardSerializer(serializers.ModelSerializer):
    post_name = serializers.CharField(source="post.name", read_only=True)
    department_name = serializers.CharField(source="post.department.name", read_only=True)
    duties = serializers.ListField(source="duty_lines", child=serializers.CharField(), read_only=True)
    operation_steps = serializers.ListField(source="step_lines", child=serializers.CharField(), read_only=True)
    risks = serializers.SerializerMethodField(help_text="岗位风险清单")
    emergencies = serializers.SerializerMethodField(help_text="岗位应急处置卡")
    acknowledged = serializers.SerializerMethodField(help_text="调用者已确认学习当前版本")

    class Meta:
        model = PostCard
        fields = [
            "id",
            "organization",
            "post",
            "post_name",
            "department_name",
            "version",
            "duties",
            "operation_steps",
            "risks",
            "emergencies",
            "acknowledged",
            "updated_at",
        ]
        read_only_fields = fields

    def get_risks(self, card) -> list[dict]:
        return [
            {
                "id": r.pk,
                "name": r.name,
                "risk_point": r.risk_point.name,
                "level": r.level,
                "colour": r.colour,
                "measures": [m.text for m in r.post_measures],
            }
            for r in selectors.card_risks(card)
        ]

    def get_emergencies(self, card) -> list[dict]:
        return EmergencySerializer(card.emergencies.filter(version=card.version), many=True).data

    def get_acknowledged(self, card) -> bool:
        request = self.context.get("request")
        if request is None:
            return False
        return card.acknowledgements.filter(user=request.user, version=card.version).exists()
