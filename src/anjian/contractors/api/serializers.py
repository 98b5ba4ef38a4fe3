"""What the contractors and work-permit API reads and answers. Input serializers bind types only;
every rule is the services'. A worker's ID number is answered only as its mask."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anjian.contractors import rules, workflow
from anjian.contractors.choices import ApprovalStep, PermitStatus
from anjian.contractors.models import (
    Contractor,
    Evaluation,
    GasTest,
    PermitApproval,
    PermitKind,
    Qualification,
    SafetyAgreement,
    Worker,
    WorkPermit,
)
from anjian.core.api import IdField


class PermitKindSerializer(serializers.ModelSerializer):
    checks = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="开始作业前须逐项确认的安全措施"
    )
    steps = serializers.ListField(
        child=serializers.ChoiceField(choices=ApprovalStep.choices), read_only=True, help_text="审批环节，按顺序"
    )

    class Meta:
        model = PermitKind
        fields = [
            "id",
            "code",
            "name",
            "checks",
            "gas_test_required",
            "gas_test_valid_minutes",
            "needs_principal",
            "max_hours",
            "steps",
            "is_active",
        ]
        read_only_fields = fields


class QualificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Qualification
        fields = ["id", "name", "number", "expires_on", "is_active"]
        read_only_fields = fields


class QualificationItemSerializer(QualificationSerializer):
    contractor_name = serializers.CharField(source="contractor.name", read_only=True)
    expired = serializers.SerializerMethodField(help_text="今天已过有效期")

    class Meta(QualificationSerializer.Meta):
        fields = ["id", "contractor", "contractor_name", "name", "number", "expires_on", "expired", "is_active"]
        read_only_fields = fields

    def get_expired(self, q) -> bool:
        return q.expires_on < timezone.localdate()


class QualificationInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="证书名称，如“安全生产许可证”；同名证书以有效期最晚的为准")
    number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    expires_on = serializers.DateField(help_text="有效期至")
    file = serializers.FileField(required=False, allow_null=True, default=None, help_text="证书扫描件（PDF、图片）")


class QualificationQuery(serializers.Serializer):
    contractor = IdField(required=False)
    active = serializers.BooleanField(required=False, default=True)


class RetireSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="停用原因（已换证、被吊销、录入有误等）")


class AgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = SafetyAgreement
        fields = ["id", "title", "starts_on", "ends_on", "institution_signatory", "contractor_signatory", "is_active"]
        read_only_fields = fields


class WorkerSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(
        source="id_number_masked", read_only=True, help_text="身份证号（脱敏，如 110***********1234）"
    )

    class Meta:
        model = Worker
        fields = [
            "id",
            "contractor",
            "name",
            "id_number",
            "work_type",
            "certificate",
            "certificate_expires_on",
            "briefed_on",
            "is_active",
        ]
        read_only_fields = fields


class WorkerInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=40)
    id_number = serializers.CharField(max_length=18, help_text="18位身份证号，加密保存，此后只以脱敏形式显示")
    work_type = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    certificate = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    certificate_expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    briefed_on = serializers.DateField(required=False, allow_null=True, default=None)


class EvaluationSerializer(serializers.ModelSerializer):
    evaluated_by_name = serializers.CharField(source="evaluated_by.name", read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "permit", "job", "score", "comment", "evaluated_by_name", "evaluated_at"]
        read_only_fields = fields


class ContractorSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    worker_count = serializers.IntegerField(read_only=True, default=0, help_text="在场作业人员数")

    class Meta:
        model = Contractor
        fields = [
            "id",
            "organization",
            "organization_name",
            "name",
            "credit_code",
            "services",
            "contact_person",
            "contact_phone",
            "insurance_expires_on",
            "is_active",
            "worker_count",
        ]
        read_only_fields = fields


class ContractorDetailSerializer(ContractorSerializer):
    qualifications = QualificationSerializer(many=True, read_only=True)
    agreements = AgreementSerializer(many=True, read_only=True)
    workers = WorkerSerializer(many=True, read_only=True)
    evaluations = EvaluationSerializer(many=True, read_only=True)
    blockers = serializers.SerializerMethodField(help_text="不能办理新作业票的原因（证照过期等），为空表示可以办理")

    class Meta(ContractorSerializer.Meta):
        fields = [
            *ContractorSerializer.Meta.fields,
            "qualifications",
            "agreements",
            "workers",
            "evaluations",
            "blockers",
        ]
        read_only_fields = fields

    def get_blockers(self, contractor) -> list[str]:
        return rules.contractor_blockers(contractor)


class ContractorInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    credit_code = serializers.CharField(max_length=18, help_text="统一社会信用代码（GB 32100，校验末位）")
    services = serializers.CharField(max_length=200)
    contact_person = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    insurance_expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class ApprovalSerializer(serializers.ModelSerializer):
    decided_by_name = serializers.CharField(source="decided_by.name", read_only=True)

    class Meta:
        model = PermitApproval
        fields = ["step", "approved", "comment", "decided_by_name", "decided_at"]
        read_only_fields = fields


class GasTestSerializer(serializers.ModelSerializer):
    class Meta:
        model = GasTest
        fields = ["id", "tested_at", "oxygen_percent", "combustible_lel_percent", "toxic", "passed", "tester_name"]
        read_only_fields = fields


class GasTestInSerializer(serializers.Serializer):
    tested_at = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="默认为现在")
    oxygen_percent = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="氧含量，体积百分比")
    combustible_lel_percent = serializers.DecimalField(max_digits=6, decimal_places=2, help_text="可燃气体，%LEL")
    toxic = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    passed = serializers.BooleanField(
        help_text="分析人的判定；氧含量不在 19.5–23.5% 或可燃气体超过 10%LEL 时一律不合格"
    )
    tester_name = serializers.CharField(max_length=40)


class WorkPermitListSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    contractor_name = serializers.CharField(source="contractor.name", read_only=True, default=None, allow_null=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None, allow_null=True)
    guardian_name = serializers.CharField(source="guardian.name", read_only=True, default=None, allow_null=True)
    pending_step = serializers.ChoiceField(choices=[("", ""), *ApprovalStep.choices], read_only=True)

    class Meta:
        model = WorkPermit
        fields = [
            "id",
            "number",
            "organization",
            "kind",
            "kind_name",
            "location",
            "contractor",
            "contractor_name",
            "department",
            "department_name",
            "planned_start",
            "planned_end",
            "status",
            "status_label",
            "pending_step",
            "guardian",
            "guardian_name",
            "started_at",
            "closed_at",
        ]
        read_only_fields = fields


class WorkPermitDetailSerializer(WorkPermitListSerializer):
    workers = WorkerSerializer(many=True, read_only=True)
    approvals = ApprovalSerializer(many=True, read_only=True)
    gas_tests = GasTestSerializer(many=True, read_only=True)
    checks = serializers.ListField(source="kind.checks", child=serializers.CharField(), read_only=True)
    missing = serializers.SerializerMethodField(
        help_text="开始作业前尚缺的条件（审批、气体分析、监护人等），为空表示可以开始"
    )
    allowed_actions = serializers.SerializerMethodField(
        help_text="调用者现在可以执行的操作，即 POST /api/v1/work-permits/{id}/{action}/ 中的 action"
    )

    class Meta(WorkPermitListSerializer.Meta):
        fields = [
            *WorkPermitListSerializer.Meta.fields,
            "risk_point",
            "content",
            "worker_names",
            "hazards_identified",
            "measures",
            "workers",
            "approvals",
            "gas_tests",
            "checks",
            "checks_confirmed",
            "suspend_reason",
            "close_note",
            "cancel_reason",
            "missing",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_missing(self, permit) -> list[str]:
        if permit.status not in (PermitStatus.DRAFT, PermitStatus.APPROVING, PermitStatus.APPROVED):
            return []
        return rules.start_blockers(permit)

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=[(name, rule.label) for name, rule in workflow.RULES.items()])
        )
    )
    def get_allowed_actions(self, permit) -> list[str]:
        return workflow.allowed_actions(permit, self.context["request"].user)


class WorkPermitInSerializer(serializers.Serializer):
    kind = serializers.SlugField(help_text="作业类别编码，见 GET /api/v1/work-permit-kinds/（如 hot-1 一级动火作业）")
    location = serializers.CharField(max_length=200)
    risk_point = IdField(required=False, allow_null=True, default=None)
    contractor = IdField(
        required=False, allow_null=True, default=None, help_text="作业单位（相关方），与 department 至少填一项"
    )
    department = IdField(required=False, allow_null=True, default=None)
    workers = serializers.ListField(child=IdField(), required=False, default=list, help_text="相关方作业人员 id")
    worker_names = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    planned_start = serializers.DateTimeField()
    planned_end = serializers.DateTimeField()
    content = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    hazards_identified = serializers.CharField(required=False, allow_blank=True, default="")
    measures = serializers.CharField()
    guardian = IdField(required=False, allow_null=True, default=None, help_text="监护人（本单位人员）id")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PermitReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class EmptySerializer(serializers.Serializer):
    pass


class StartSerializer(serializers.Serializer):
    checks = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=100),
        help_text="监护人逐项确认的安全措施序号（从 0 起，对应 checks），须全部确认",
    )


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="完工现场照片（JPEG、PNG、WebP），至少一张"
    )
