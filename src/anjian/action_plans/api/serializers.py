from rest_framework import serializers

from anjian.action_plans.models import Assignment, Plan, ProgressReport, ReportDefinition, ReportSubmission, Task
from anjian.core.api import IdField


class PlanSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    organization_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "document_number",
            "issued_on",
            "start_year",
            "end_year",
            "organization",
            "organization_id",
            "is_active",
            "created_at",
        ]


class TaskSerializer(serializers.ModelSerializer):
    action = serializers.CharField(source="action.title", default="", read_only=True)
    unit_groups = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "number",
            "action",
            "title",
            "content",
            "measures",
            "notes",
            "parent",
            "targets",
            "lead_offices",
            "units_text",
            "unit_groups",
            "unmatched_units",
            "cooperating_text",
            "deadline",
            "deadline_text",
            "is_standing",
            "rhythm",
            "deadline_unclear",
            "result_form",
        ]


class AssignmentSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    organization_id = serializers.IntegerField(read_only=True)
    plan = serializers.IntegerField(source="task.plan_id", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "plan",
            "task",
            "organization",
            "organization_id",
            "status",
            "review_state",
            "review_comment",
            "overdue",
            "last_reported_on",
            "report_count",
        ]

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class ProgressReportSerializer(serializers.ModelSerializer):
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["id", "assignment", "text", "reported_on", "result_form", "claims_done", "created_at", "attachments"]

    def get_attachments(self, obj) -> list[str]:
        return [a.name for a in obj.attachments.all()]


class ProgressInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)
    reported_on = serializers.DateField(required=False)
    result_form = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    claims_done = serializers.BooleanField(required=False, default=False)


class ReviewInSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReportDefinitionSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = ReportDefinition
        fields = [
            "id",
            "organization",
            "name",
            "description",
            "fields",
            "max_chars",
            "frequency",
            "due_day",
            "months_after",
            "holiday_shift",
            "is_active",
        ]


class SubmissionSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = ReportSubmission
        fields = [
            "id",
            "definition",
            "organization",
            "period",
            "values",
            "counted",
            "reasons",
            "status",
            "submitted_at",
        ]


class SubmissionInSerializer(serializers.Serializer):
    definition = IdField()
    period = serializers.DateField(help_text="所属期的第一天，如 2025-09-01")
    values = serializers.DictField()
    reasons = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="与平台统计（prefill）不一致的填报项的更正原因，按填报项名称；报送时必填",
    )
    submit = serializers.BooleanField(required=False, default=False)


class PrefillSerializer(serializers.Serializer):
    period = serializers.DateField()
    counted = serializers.DictField(child=serializers.IntegerField(), help_text="平台统计的数字，按填报项名称")
    fields = serializers.ListField(child=serializers.CharField(), help_text="本单位填报的填报项名称")


class ImportInSerializer(serializers.Serializer):
    file = serializers.FileField()


class ImportConfirmInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    document_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    fixes = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text='按序号更正完成时限，如 {"3": "2024年12月前"}',
    )
    unit_fixes = serializers.DictField(
        child=serializers.DictField(child=serializers.ListField(child=serializers.IntegerField())),
        required=False,
        default=dict,
        help_text='按序号选择责任单位（替换读到的），如 {"2": {"groups": [1], "institutions": [5]}}',
    )
    columns = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="更正列的含义后重新读取再导入：列序号 → 字段（见预览的 columns），空字符串表示不导入",
    )
