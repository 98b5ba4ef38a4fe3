"""What the inspections API reads and answers. Input serializers only turn the request into
Python values; the rules (which items, a note and photo for a failed item, the slot already done)
are the services'."""

from __future__ import annotations

from rest_framework import serializers

from anjian.inspections.choices import Result
from anjian.inspections.models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    InspectionPoint,
    InspectionRecord,
    InspectionResult,
    Schedule,
)


class ItemSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="隐患类别编码")

    class Meta:
        model = ChecklistItem
        fields = ["id", "text", "category", "basis", "guidance", "photo_required_on_fail", "suggests_major"]


class ItemBriefSerializer(serializers.ModelSerializer):
    section = serializers.CharField(source="section.title", read_only=True)

    class Meta:
        model = ChecklistItem
        fields = ["id", "text", "section", "photo_required_on_fail"]


class SectionSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistSection
        fields = ["id", "title", "items"]


class TemplateListSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True, default=None, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "code", "name", "version", "status", "status_label", "owner", "owner_name", "applies_to"]


class TemplateDetailSerializer(TemplateListSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(TemplateListSerializer.Meta):
        fields = [*TemplateListSerializer.Meta.fields, "description", "published_at", "sections"]


class PointSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True, default=None, allow_null=True)
    scan_url = serializers.SerializerMethodField(help_text="二维码指向的地址")

    class Meta:
        model = InspectionPoint
        fields = [
            "id",
            "organization",
            "name",
            "location",
            "department",
            "department_name",
            "code",
            "scan_url",
            "is_active",
        ]

    def get_scan_url(self, obj) -> str:
        from anjian.inspections.labels import scan_path

        request = self.context.get("request")
        return request.build_absolute_uri(scan_path(obj)) if request else scan_path(obj)


class ScheduleSerializer(serializers.ModelSerializer):
    who = serializers.CharField(read_only=True, help_text="检查人、岗位或科室角色")
    rhythm_label = serializers.CharField(read_only=True)
    points = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Schedule
        fields = [
            "id",
            "organization",
            "name",
            "template",
            "assignee",
            "post",
            "role",
            "department",
            "who",
            "points",
            "rhythm",
            "every_hours",
            "rhythm_label",
            "starts_on",
            "ends_on",
            "is_active",
        ]


class DueSerializer(serializers.Serializer):
    schedule = serializers.IntegerField(source="schedule.pk")
    schedule_name = serializers.CharField(source="schedule.name")
    point = serializers.IntegerField(source="point.pk", allow_null=True, default=None)
    point_name = serializers.CharField(source="point.name", allow_null=True, default=None)
    template = serializers.IntegerField(source="template.pk", allow_null=True, default=None)
    period_start = serializers.DateTimeField(source="slot.start")
    period_end = serializers.DateTimeField(source="slot.end")
    done = serializers.BooleanField()
    items = serializers.SerializerMethodField(help_text="要填写的检查项（id 与 text）")

    def get_items(self, obj) -> list[dict]:
        if obj.template is None:
            return []
        return ItemBriefSerializer(self.context["items"][obj.template.pk], many=True).data


class ResultInSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="检查项 id")
    result = serializers.ChoiceField(choices=Result.choices, help_text="pass 合格 / fail 不合格 / na 不适用")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="不合格时必填：发现的问题")


class RecordInSerializer(serializers.Serializer):
    schedule = serializers.IntegerField(help_text="排查计划 id")
    point = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="巡检点 id")
    results = ResultInSerializer(many=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResultSerializer(serializers.ModelSerializer):
    item_text = serializers.CharField(source="item.text", read_only=True)
    hazard_number = serializers.CharField(source="hazard.number", read_only=True, default=None, allow_null=True)

    class Meta:
        model = InspectionResult
        fields = ["item", "item_text", "result", "note", "hazard", "hazard_number", "hazard_created"]


class RecordSerializer(serializers.ModelSerializer):
    results = ResultSerializer(many=True, read_only=True)
    hazards = serializers.SerializerMethodField(help_text="不合格项登记或关联的隐患 id")
    performed_by_name = serializers.CharField(source="performed_by.name", read_only=True)

    class Meta:
        model = InspectionRecord
        fields = [
            "id",
            "number",
            "organization",
            "schedule",
            "template",
            "point",
            "scanned",
            "performed_by",
            "performed_by_name",
            "performed_at",
            "period_start",
            "pass_count",
            "fail_count",
            "na_count",
            "corrects",
            "note",
            "hazards",
            "results",
        ]

    def get_hazards(self, obj) -> list[int]:
        return sorted({r.hazard_id for r in obj.results.all() if r.hazard_id})


class RecordListSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    template_name = serializers.CharField(source="template.name", read_only=True)
    point_name = serializers.CharField(source="point.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = InspectionRecord
        fields = [
            "id",
            "number",
            "organization",
            "organization_name",
            "template_name",
            "point_name",
            "schedule",
            "template",
            "point",
            "performed_by",
            "performed_at",
            "pass_count",
            "fail_count",
            "na_count",
            "corrects",
        ]


class TallySerializer(serializers.Serializer):
    label = serializers.CharField()
    due = serializers.IntegerField(help_text="应检次数")
    done = serializers.IntegerField(help_text="已检次数")
    missed_count = serializers.IntegerField(help_text="漏检次数")
    rate = serializers.FloatField(allow_null=True, help_text="完成率（%）")


class MissedSerializer(serializers.Serializer):
    schedule = serializers.IntegerField()
    schedule_name = serializers.CharField()
    point = serializers.IntegerField(allow_null=True)
    period_start = serializers.DateTimeField()
    period_end = serializers.DateTimeField()


class ComplianceSerializer(serializers.Serializer):
    period = serializers.CharField()
    period_label = serializers.CharField()
    organization = serializers.IntegerField(allow_null=True)
    total = TallySerializer()
    by_schedule = TallySerializer(many=True)
    by_person = TallySerializer(many=True)
    by_post = TallySerializer(many=True)
    by_department = TallySerializer(many=True)
    by_institution = TallySerializer(many=True)
    missed = MissedSerializer(many=True)


class ComplianceQuerySerializer(serializers.Serializer):
    period = serializers.CharField(help_text="YYYY-MM、YYYY-Qn、YYYY-Hn 或 YYYY；默认本月", required=False)
    organization = serializers.IntegerField(required=False, help_text="机构或监管部门 id；默认调用者的全部管辖范围")
