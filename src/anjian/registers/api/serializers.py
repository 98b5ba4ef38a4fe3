"""What the registers API reads and answers. Input serializers only bind types; the rules (own
institution, a second person confirms, the report file's checks) are the services'."""

from __future__ import annotations

from rest_framework import serializers

from anjian.core.api import FieldsOnce, IdField
from anjian.registers.choices import (
    DueState,
    MovementDirection,
    RecordKind,
    RecordResult,
    Unit,
    WasteCategory,
)
from anjian.registers.models import (
    ChemicalMovement,
    ChemicalStock,
    Equipment,
    EquipmentRecord,
    StoragePlace,
    WasteHandover,
)

QTY = {"max_digits": 12, "decimal_places": 2}


class EquipmentRecordSerializer(FieldsOnce, serializers.ModelSerializer):
    has_report = serializers.SerializerMethodField()

    class Meta:
        model = EquipmentRecord
        fields = ["id", "kind", "performed_on", "result", "agency", "report_number", "note", "has_report", "created_at"]
        read_only_fields = fields

    def get_has_report(self, record) -> bool:
        return bool(record.report)


class EquipmentSerializer(FieldsOnce, serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    kind = serializers.CharField(source="kind.code", read_only=True, help_text="设备种类编码，如 lift")
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    interval_months = serializers.IntegerField(source="interval", read_only=True, help_text="适用的检验周期（月）")
    location = serializers.CharField(read_only=True, help_text="风险点 · 安装位置")
    due_state = serializers.ChoiceField(choices=DueState.choices, read_only=True)

    class Meta:
        model = Equipment
        fields = [
            "id",
            "organization",
            "organization_name",
            "kind",
            "kind_name",
            "name",
            "registration_number",
            "risk_point",
            "area",
            "location",
            "maintenance_contractor",
            "interval_months",
            "last_inspected_on",
            "next_due_on",
            "due_state",
            "is_active",
        ]
        read_only_fields = fields


class EquipmentInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.CharField(max_length=40, help_text="设备种类编码（如 lift、pressure_vessel）或编号")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="安装位置")
    risk_point = IdField(required=False, allow_null=True, help_text="所在风险点（本机构）")
    registration_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    maintenance_contractor = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    interval_months = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=120)
    last_inspected_on = serializers.DateField(required=False, allow_null=True)


class InspectionInSerializer(serializers.Serializer):
    inspected_on = serializers.DateField()
    result = serializers.ChoiceField(choices=RecordResult.choices)
    kind = serializers.ChoiceField(choices=RecordKind.choices, default=RecordKind.INSPECTION)
    report = serializers.FileField(required=False, help_text="检验报告（PDF、Word、Excel、OFD、JPG、PNG）")
    agency = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    report_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PlaceSerializer(FieldsOnce, serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    floor_plan_name = serializers.CharField(
        source="floor_plan", read_only=True, default=None, allow_null=True, help_text="楼层平面图（风险四色图）"
    )
    plan_x = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        read_only=True,
        allow_null=True,
        help_text="自左边起，平面图宽度的 0–1",
    )
    plan_y = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        read_only=True,
        allow_null=True,
        help_text="自上边起，平面图高度的 0–1",
    )

    class Meta:
        model = StoragePlace
        fields = [
            "id",
            "organization",
            "organization_name",
            "name",
            "risk_point",
            "keepers",
            "floor_plan",
            "floor_plan_name",
            "plan_x",
            "plan_y",
            "is_active",
        ]
        read_only_fields = fields


class PlaceInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    keepers = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", help_text="双人保管")
    risk_point = IdField(required=False, allow_null=True, default=None, help_text="所在风险点（本机构）")


class StockSerializer(FieldsOnce, serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    chemical_name = serializers.CharField(source="chemical.name", read_only=True)
    cas_number = serializers.CharField(source="chemical.cas_number", read_only=True)
    hazard_class = serializers.CharField(source="chemical.hazard_class", read_only=True, help_text="GB 6944 类别 1–9")
    is_typical = serializers.BooleanField(source="chemical.is_typical", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True)
    over_limit = serializers.BooleanField(read_only=True)

    class Meta:
        model = ChemicalStock
        fields = [
            "id",
            "organization",
            "organization_name",
            "place",
            "place_name",
            "chemical",
            "chemical_name",
            "cas_number",
            "hazard_class",
            "is_typical",
            "quantity",
            "unit",
            "max_quantity",
            "over_limit",
        ]
        read_only_fields = fields


class StockInSerializer(serializers.Serializer):
    place = IdField()
    chemical = IdField()
    unit = serializers.ChoiceField(choices=Unit.choices)
    max_quantity = serializers.DecimalField(**QTY)
    quantity = serializers.DecimalField(required=False, default=0, help_text="当前库存（盘点数）", **QTY)


class MovementSerializer(FieldsOnce, serializers.ModelSerializer):
    chemical_name = serializers.CharField(source="stock.chemical.name", read_only=True)
    place_name = serializers.CharField(source="stock.place.name", read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.name", read_only=True)
    confirmed_by_name = serializers.CharField(source="confirmed_by.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = ChemicalMovement
        fields = [
            "id",
            "stock",
            "chemical_name",
            "place_name",
            "direction",
            "quantity",
            "moved_on",
            "purpose",
            "status",
            "recorded_by",
            "recorded_by_name",
            "confirmed_by",
            "confirmed_by_name",
            "confirmed_at",
            "balance_after",
            "cancel_reason",
        ]
        read_only_fields = fields


class MovementInSerializer(serializers.Serializer):
    stock = IdField()
    direction = serializers.ChoiceField(choices=MovementDirection.choices)
    quantity = serializers.DecimalField(**QTY)
    moved_on = serializers.DateField(required=False, allow_null=True)
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WasteSerializer(FieldsOnce, serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = WasteHandover
        fields = [
            "id",
            "organization",
            "organization_name",
            "handed_on",
            "category",
            "weight_kg",
            "receiver",
            "form_number",
            "handed_by_name",
            "note",
            "is_void",
            "void_reason",
        ]
        read_only_fields = fields


class WasteInSerializer(serializers.Serializer):
    handed_on = serializers.DateField()
    category = serializers.ChoiceField(choices=WasteCategory.choices)
    weight_kg = serializers.DecimalField(**QTY)
    receiver = serializers.CharField(max_length=100)
    form_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    handed_by_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
