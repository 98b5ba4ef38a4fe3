from rest_framework import serializers

from anjian.orgs.models import Engagement, Organization


class OrganizationSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(source="get_type_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None)

    class Meta:
        model = Organization
        fields = [
            "id",
            "type",
            "type_label",
            "name",
            "short_name",
            "parent",
            "parent_name",
            "regulator_level",
            "kind",
            "kind_label",
            "hospital_grade",
            "is_specialty",
            "ownership",
            "is_fire_key_unit",
            "is_fire_high_risk",
            "is_elderly_care",
            "credit_code",
            "division_code",
            "address",
            "legal_representative",
            "contact_person",
            "contact_phone",
            "bed_count",
            "staff_count",
            "is_active",
        ]
        read_only_fields = fields


class EngagementSerializer(serializers.ModelSerializer):
    regulator_name = serializers.CharField(source="regulator.name", read_only=True)
    inspector_name = serializers.CharField(source="inspector.name", read_only=True)
    inspector_organization = serializers.CharField(source="inspector.organization.name", read_only=True)
    institutions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Engagement
        fields = [
            "id",
            "regulator",
            "regulator_name",
            "inspector",
            "inspector_name",
            "inspector_organization",
            "purpose",
            "whole_jurisdiction",
            "institutions",
            "starts_on",
            "ends_on",
            "is_active",
            "end_note",
        ]
        read_only_fields = fields
