"""What the inspections API reads and answers. Input serializers only turn the request into
Python values; the rules (which items, a note and photo for a failed item, the slot already done)
are the services'."""

from __future__ import annotations

from rest_framework import serializers

from anjian.core import inputs
from anjian.core.api import FieldsOnce, IdField, PlainRows
from anjian.core.permissions import Action, can
from anjian.core.roles import Role
from anjian.inspections.choices import Result, Rhythm
from anjian.inspections.labels import label_path, scan_path
from anjian.inspections.models import (
    ITEM_FIELDS,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    InspectionPoint,
    InspectionRecord,
    InspectionResult,
    Schedule,
)


class ItemSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="隐患类别编码；空为检查表的类别"
    )

    class Meta:
        model = ChecklistItem
        fields = ["id", *ITEM_FIELDS]


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
    scan_url = serializers.SerializerMethodField(help_text="巡检点页面的地址（不含到场凭证）")
    label_url = serializers.SerializerMethodField(
        help_text=(
            "二维码标签应印制的地址（含到场凭证 t）；只答给管理本机构巡检点的人员（安全管理员、主要负责人、"
            "分管负责人），其他人为 null。重新生成标签后旧地址作废。"
        )
    )

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
            "label_url",
            "label_version",
            "is_active",
        ]

    def get_scan_url(self, obj) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(scan_path(obj)) if request else scan_path(obj)

    def get_label_url(self, obj) -> str | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not can(user, Action.SCHEDULE_MANAGE) or obj.organization_id != user.organization_id:
            return None
        return request.build_absolute_uri(label_path(obj))


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
            "day_start",
            "day_end",
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


RESULT_VALUES = frozenset(Result.values)


class ResultInSerializer(serializers.Serializer):
    item = IdField(help_text="检查项 id")
    result = serializers.ChoiceField(choices=Result.choices, help_text="pass 合格 / fail 不合格 / na 不适用")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="不合格时必填：发现的问题")

    class Meta:
        list_serializer_class = PlainRows

    @staticmethod
    def plain_row(row) -> dict | None:
        """An answer with an id, a known result and no note, as the fields would take it; anything
        else (a note to trim and check, an id as text, a wrong value) goes through the fields."""
        if type(row) is not dict:
            return None
        item, result, note = row.get("item"), row.get("result"), row.get("note", "")
        known = type(result) is str and result in RESULT_VALUES
        if type(item) is int and 1 <= item <= inputs.ID_MAX and known and note == "":
            return {"item": item, "result": result, "note": ""}
        return None


class RecordInSerializer(serializers.Serializer):
    schedule = IdField(help_text="排查计划 id")
    point = IdField(required=False, allow_null=True, default=None, help_text="巡检点 id")
    scan_token = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text=(
            "扫码到场凭证：扫描巡检点二维码标签所得地址中 t 参数的值（与 point 一起传）。"
            "服务器核验它是该巡检点现行标签的凭证时，记录为“已扫码到场”（scanned=true）；"
            "缺少、无效或标签已重新生成（旧标签）时 scanned=false，记录照常提交。"
            "客户端传入的 scanned 字段不被采信。"
        ),
    )
    results = ResultInSerializer(many=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


# a submission's answer serializes a record with its 30 results: fields built once (FieldsOnce)
class ResultSerializer(FieldsOnce, serializers.ModelSerializer):
    item_text = serializers.CharField(source="item.text", read_only=True)
    hazard_number = serializers.CharField(source="hazard.number", read_only=True, default=None, allow_null=True)

    class Meta:
        model = InspectionResult
        fields = ["item", "item_text", "result", "note", "hazard", "hazard_number", "hazard_created"]

    def to_representation(self, instance: InspectionResult) -> dict:
        """The fields above written out directly: a submission's answer holds 30 of these, and DRF's
        field-by-field walk cost a fifth of the request (tested equal to it)."""
        return _result_row(instance)


def _result_row(instance: InspectionResult) -> dict:
    return {
        "item": instance.item_id,
        "item_text": instance.item.text,
        "result": instance.result,
        "note": instance.note,
        "hazard": instance.hazard_id,
        "hazard_number": instance.hazard.number if instance.hazard_id else None,
        "hazard_created": instance.hazard_created,
    }


_MOMENT = serializers.DateTimeField()  # a date-time as DRF writes the models' (local time, ISO 8601)


class RecordSerializer(FieldsOnce, serializers.ModelSerializer):
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

    def to_representation(self, instance: InspectionRecord) -> dict:
        """The fields above written out directly, as ``ResultSerializer``'s (tested equal to DRF's walk):
        copying the declared fields for each answer cost more than writing it."""
        results = instance.results.all()
        moment = _MOMENT
        return {
            "id": instance.pk,
            "number": instance.number,
            "organization": instance.organization_id,
            "schedule": instance.schedule_id,
            "template": instance.template_id,
            "point": instance.point_id,
            "scanned": instance.scanned,
            "performed_by": instance.performed_by_id,
            "performed_by_name": instance.performed_by.name,
            "performed_at": moment.to_representation(instance.performed_at),
            "period_start": moment.to_representation(instance.period_start) if instance.period_start else None,
            "pass_count": instance.pass_count,
            "fail_count": instance.fail_count,
            "na_count": instance.na_count,
            "corrects": instance.corrects_id,
            "note": instance.note,
            "hazards": sorted({r.hazard_id for r in results if r.hazard_id}),
            "results": [_result_row(r) for r in results],
        }


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
    rate = serializers.FloatField(allow_null=True, help_text="完成率（%）；未建立排查计划的机构为 0")
    no_plan = serializers.BooleanField(help_text="机构未建立任何排查计划（未建立排查计划），计为不达标")


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
    organization = IdField(required=False, help_text="机构或监管部门 id；默认调用者的全部管辖范围")


# --- writing checklists, points and schedules ---------------------------------------------------
def _text(help_text: str, max_length: int | None = None, **kwargs) -> serializers.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    return serializers.CharField(help_text=help_text, max_length=max_length, **kwargs)


def _id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, allow_null=True, help_text=help_text)


class TemplateInSerializer(serializers.Serializer):
    """A new checklist (a draft of the caller's unit), or a draft's name and description."""

    name = serializers.CharField(max_length=100, help_text="检查表名称")
    description = _text("说明")
    applies_to = _text("适用场所", max_length=200)
    category = serializers.SlugField(required=False, allow_null=True, help_text="隐患类别编码，如 fire")


class ItemInSerializer(serializers.Serializer):
    """An item of a draft. ``section``: the section's title (a new title opens a new section)."""

    section = serializers.CharField(max_length=100, help_text="分区名称；新名称即新建分区")
    text = serializers.CharField(max_length=300, help_text="检查内容（合格的标准，如“安全出口、疏散通道畅通”）")
    fail_text = _text(
        "不合格表述：该项不合格时登记的隐患名称，写明存在的问题，如“安全出口、疏散通道堵塞或锁闭”；"
        "空则为“不符合要求：检查内容”",
        max_length=200,
    )
    category = serializers.SlugField(required=False, allow_null=True, help_text="隐患类别编码；空为检查表的类别")
    basis = _text("检查依据", max_length=200)
    criterion = _id("重大隐患判定条目 id")
    guidance = _text("检查方法")
    photo_required_on_fail = serializers.BooleanField(required=False, default=True, help_text="不合格须拍照")
    suggests_major = serializers.BooleanField(required=False, default=False, help_text="不合格可能构成重大隐患")


class ItemPatchSerializer(ItemInSerializer):
    section = None  # an item stays in its section; remove it and add it again to move it
    photo_required_on_fail = serializers.BooleanField(required=False, help_text="不合格须拍照")
    suggests_major = serializers.BooleanField(required=False, help_text="不合格可能构成重大隐患")


class PointInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="巡检点名称（本机构内不重名）")
    location = _text("位置", max_length=200)
    department = _id("所在科室 id，须属于本机构")
    is_active = serializers.BooleanField(required=False, help_text="启用；停用的巡检点不再列入排查任务（修改时）")


class ScheduleInSerializer(serializers.Serializer):
    """Who (one of assignee, post, role), which checklist, where, how often, from when to when."""

    name = serializers.CharField(max_length=100, help_text="计划名称")
    template = serializers.IntegerField(help_text="检查表 id（须已发布；用其现行版本）")
    assignee = _id("检查人 id（本机构人员）")
    post = _id("岗位 id（本机构）")
    role = serializers.ChoiceField(
        choices=Role.choices,
        required=False,
        allow_blank=True,
        help_text="机构内的角色（可与 department 一起：某科室的该角色）",
    )
    department = _id("科室 id（本机构）")
    points = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="巡检点 id 列表（本机构）；空为不按巡检点"
    )
    rhythm = serializers.ChoiceField(choices=Rhythm.choices, help_text="频次")
    every_hours = serializers.IntegerField(
        required=False, allow_null=True, help_text="“每日每隔N小时”的间隔小时数（1～12）"
    )
    day_start = serializers.TimeField(
        required=False, allow_null=True, help_text="“每日每隔N小时”的每日检查时段起，如 08:00；空为 00:00"
    )
    day_end = serializers.TimeField(
        required=False, allow_null=True, help_text="“每日每隔N小时”的每日检查时段止，如 20:00；空为 24:00"
    )
    starts_on = serializers.DateField(required=False, help_text="开始日期，默认今天")
    ends_on = serializers.DateField(required=False, allow_null=True, help_text="结束日期；空为长期")
    is_active = serializers.BooleanField(required=False, help_text="启用；不再需要的计划停用而不删除（修改时）")
