"""What the training API reads and answers. Input serializers only bind types; every rule (the
institution's own people, dates, the hazard ledger's rules for findings) is the services'."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anjian.core.api import IdField
from anjian.hazards.choices import HazardLevel
from anjian.training import workflow
from anjian.training.choices import DrillStatus, PlanKind
from anjian.training.models import Attempt, Certificate, Drill, EmergencyPlan, Paper, TrainingSession


class TrainingSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True, default=None, allow_null=True)
    attendees = serializers.SerializerMethodField(help_text="参训人员的 id")

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "organization",
            "organization_name",
            "title",
            "category",
            "category_name",
            "held_on",
            "hours",
            "teacher",
            "place",
            "content",
            "quiz",
            "attendees",
            "is_active",
            "void_reason",
        ]
        read_only_fields = fields

    def get_attendees(self, session) -> list[int]:
        return [a.user_id for a in session.attendances.all()]


class TrainingInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=Decimal("0.5"), max_value=100)
    attendees = serializers.ListField(child=IdField(), required=False, default=list, max_length=2000)
    category = IdField(required=False, allow_null=True)
    teacher = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    content = serializers.CharField(required=False, allow_blank=True, default="")


class TrainingQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[("valid", "有效"), ("void", "已作废"), ("all", "全部")],
        required=False,
        default="valid",
        help_text="valid（默认）只列有效的培训；void 只列已作废的；all 全部",
    )
    held_from = serializers.DateField(required=False, help_text="培训日期不早于（YYYY-MM-DD）")
    held_to = serializers.DateField(required=False, help_text="培训日期不晚于（YYYY-MM-DD）")


class SessionRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    held_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    category = serializers.CharField(allow_null=True)
    method = serializers.CharField(help_text="签到方式：list 按名单 / qr 扫码")


class YearHoursSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=7, decimal_places=1)


class PersonTrainingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organization = serializers.IntegerField()
    hours_by_year = YearHoursSerializer(many=True)
    sessions = SessionRowSerializer(many=True)


class CertificateSerializer(serializers.ModelSerializer):
    holder_name = serializers.CharField(source="holder.name", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "organization",
            "organization_name",
            "holder",
            "holder_name",
            "kind",
            "kind_name",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "is_active",
        ]
        read_only_fields = fields


class CertificateInSerializer(serializers.Serializer):
    holder = IdField(help_text="持证人的 id（本单位人员）")
    kind = IdField(help_text="证书类别的 id")
    number = serializers.CharField(max_length=60)
    issuer = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()


class CertificateQuerySerializer(serializers.Serializer):
    expires_before = serializers.DateField(required=False, help_text="只列出有效期至早于该日期（YYYY-MM-DD）的证书")


class FindingInSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=2000)
    level = serializers.ChoiceField(choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class HazardRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    level = serializers.CharField()
    status = serializers.CharField()
    source = serializers.CharField()


class DrillSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    status = serializers.ChoiceField(
        choices=DrillStatus.choices, read_only=True, help_text="planned 计划中 / done 已开展 / cancelled 已取消"
    )
    held_on = serializers.DateField(read_only=True, help_text="已开展的演练为演练日期，计划中的为计划日期")
    planned_participants = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="计划参演人员的 id")
    participants = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="参演人员（含扫码签到）的 id"
    )
    hazards = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(
        help_text="调用者现在可以执行的操作：record、cancel 即 POST /api/v1/drills/{id}/{action}/"
    )

    class Meta:
        model = Drill
        fields = [
            "id",
            "organization",
            "organization_name",
            "status",
            "title",
            "scenario",
            "held_on",
            "planned_on",
            "emergency_plan",
            "place",
            "planned_participants",
            "participants",
            "participant_count",
            "timeline",
            "evaluation",
            "cancel_reason",
            "hazards",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_hazards(self, drill) -> list[dict]:
        return HazardRefSerializer(
            [
                {
                    "id": f.hazard.pk,
                    "number": f.hazard.number,
                    "title": f.hazard.title,
                    "level": f.hazard.level,
                    "status": f.hazard.status,
                    "source": f.hazard.source,
                }
                for f in drill.findings.all()
            ],
            many=True,
        ).data

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=[(name, rule.label) for name, rule in workflow.RULES.items()])
        )
    )
    def get_allowed_actions(self, drill) -> list[str]:
        request = self.context.get("request")
        return workflow.allowed_actions(drill, request.user) if request else []


class DrillInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    emergency_plan = IdField(required=False, allow_null=True)
    scenario = serializers.CharField(required=False, allow_blank=True, default="")
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    participants = serializers.ListField(child=IdField(), required=False, default=list, max_length=2000)
    participant_count = serializers.IntegerField(required=False, min_value=0, max_value=100000, default=0)
    timeline = serializers.CharField(required=False, allow_blank=True, default="")
    evaluation = serializers.CharField(required=False, allow_blank=True, default="")
    findings = FindingInSerializer(many=True, required=False, default=list, max_length=100)


class DrillPlanInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField(help_text="计划演练日期（不早于今天）")
    emergency_plan = IdField(required=False, allow_null=True, help_text="演练的本单位应急预案 id")
    scenario = serializers.CharField(required=False, allow_blank=True, default="")
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    participants = serializers.ListField(
        child=IdField(), required=False, default=list, max_length=2000, help_text="计划参演人员 id（本单位在职人员）"
    )


class DrillRecordInSerializer(serializers.Serializer):
    held_on = serializers.DateField(help_text="实际演练日期（不晚于今天）")
    place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    participants = serializers.ListField(
        child=IdField(), required=False, default=list, max_length=2000, help_text="参演人员 id，与扫码签到的人员合并"
    )
    participant_count = serializers.IntegerField(required=False, min_value=0, max_value=100000, default=0)
    timeline = serializers.CharField(required=False, allow_blank=True, default="")
    evaluation = serializers.CharField(required=False, allow_blank=True, default="")
    findings = FindingInSerializer(many=True, required=False, default=list, max_length=100)


class DrillQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=DrillStatus.choices, required=False, help_text="只列出该状态的演练")


class EmergencyPlanSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    kind = serializers.ChoiceField(choices=PlanKind.choices, read_only=True)

    class Meta:
        model = EmergencyPlan
        fields = [
            "id",
            "organization",
            "organization_name",
            "kind",
            "title",
            "version",
            "effective_on",
            "review_on",
            "is_current",
        ]
        read_only_fields = fields


class PaperSerializer(serializers.ModelSerializer):
    question_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Paper
        fields = [
            "id",
            "organization",
            "bank",
            "title",
            "time_limit_minutes",
            "pass_mark",
            "max_attempts",
            "question_count",
            "is_active",
            "void_reason",
        ]
        read_only_fields = fields


class AttemptSerializer(serializers.ModelSerializer):
    paper_title = serializers.CharField(source="paper.title", read_only=True)
    organization = serializers.IntegerField(source="paper.organization_id", read_only=True)
    user_name = serializers.CharField(source="user.name", read_only=True)
    counts = serializers.BooleanField(
        source="paper.is_active", read_only=True, help_text="false：试卷已作废，成绩不计入"
    )

    class Meta:
        model = Attempt
        fields = [
            "id",
            "organization",
            "paper",
            "paper_title",
            "user",
            "user_name",
            "session",
            "started_at",
            "deadline",
            "submitted_at",
            "score",
            "passed",
            "timed_out",
            "counts",
        ]
        read_only_fields = fields


class AttemptQuerySerializer(serializers.Serializer):
    paper = IdField(required=False, help_text="只列出该试卷的考试记录")
    user = IdField(required=False, help_text="只列出该人员的考试记录")
    passed = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true 合格 / false 不合格"
    )
