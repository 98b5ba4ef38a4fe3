"""The assessments API: a regulator's assessments with the ranking; an institution's leaders the
published ones with their own sheet only."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from anjian.core.api import FieldsOnce, HasAction
from anjian.core.permissions import Action
from anjian.oversight import assessment as sheets
from anjian.oversight import selectors
from anjian.oversight.models import Assessment

TAGS = ["assessments"]


class AssessmentSerializer(FieldsOnce, serializers.ModelSerializer):
    regulator_name = serializers.CharField(source="regulator.name", read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "year", "regulator", "regulator_name", "status", "published_at"]
        read_only_fields = fields


class CellSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    kind = serializers.CharField()
    weight = serializers.CharField()
    is_veto = serializers.BooleanField()
    rate = serializers.FloatField(allow_null=True, help_text="平台数据计算的比率（%）")
    score = serializers.CharField()
    evidence = serializers.CharField(allow_blank=True)
    vetoed = serializers.BooleanField()


class RowSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    name = serializers.CharField()
    rank = serializers.IntegerField()
    total = serializers.CharField()
    vetoed = serializers.BooleanField()
    cells = CellSerializer(many=True)


class AssessmentDetailSerializer(AssessmentSerializer):
    rows = RowSerializer(many=True, read_only=True)

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "rows"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="年度考核", description="监管部门组织的年度考核；机构只见已发布的。", tags=TAGS),
    retrieve=extend_schema(
        summary="年度考核结果",
        description="排名和各机构评分表（机构只见本单位）。",
        responses={200: AssessmentDetailSerializer},
        tags=TAGS,
    ),
)
class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_action = Action.ASSESSMENT_VIEW
    lookup_value_converter = "int"
    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()

    def get_queryset(self):
        return selectors.assessments_for(self.request.user).order_by("-year", "pk")

    def retrieve(self, request, pk=None):
        try:
            assessment = self.get_queryset().get(pk=pk)
        except Assessment.DoesNotExist as exc:
            raise Http404 from exc
        org = request.user.organization
        own = org if org is not None and org.is_institution else None
        data = AssessmentSerializer(assessment).data
        return Response({**data, "rows": sheets.sheet_data(request.user, assessment, organization=own)})
