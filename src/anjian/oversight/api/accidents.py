"""The accidents API: reports (POST is the quick report; …/complete/ the full report; …/void/) and
the yearly comparison with the base year (``GET /api/v1/stats/accidents/?year=YYYY``)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.core.api import FieldsOnce, HasAction, IdField, bind, scoped_ref
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.orgs.models import Organization
from anjian.oversight import accident_stats
from anjian.oversight.models import Accident
from anjian.oversight.services import accidents as services
from anjian.risks.choices import AccidentType

TAGS = ["accidents"]


class AccidentSerializer(FieldsOnce, serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    hazards = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    quick_hours = serializers.FloatField(read_only=True, help_text="事发至快报的小时数")
    quick_late = serializers.BooleanField(read_only=True, help_text="快报超过法定时限（事发后 1 小时）")

    class Meta:
        model = Accident
        fields = [
            "id",
            "number",
            "organization",
            "organization_name",
            "stage",
            "occurred_at",
            "place",
            "kind",
            "deaths",
            "injuries",
            "direct_loss",
            "description",
            "cause",
            "measures",
            "hazards",
            "reported_at",
            "quick_hours",
            "quick_late",
            "completed_at",
            "is_void",
            "void_reason",
        ]
        read_only_fields = fields


class AccidentInSerializer(serializers.Serializer):
    organization = IdField()
    occurred_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=AccidentType.choices)
    deaths = serializers.IntegerField(min_value=0, max_value=100000, default=0)
    injuries = serializers.IntegerField(min_value=0, max_value=100000, default=0)
    direct_loss = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, default=0)
    description = serializers.CharField()


class AccidentCompleteInSerializer(serializers.Serializer):
    deaths = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    injuries = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    direct_loss = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    description = serializers.CharField(required=False)
    cause = serializers.CharField()
    measures = serializers.CharField()
    hazards = serializers.ListField(child=IdField(), required=False, default=list)


class VoidInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class AccidentMeasureSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    base = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    change_percent = serializers.FloatField(allow_null=True, help_text="较基准年变化（%），基准年为 0 时为 null")
    target = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    on_target = serializers.BooleanField(allow_null=True, help_text="年度进行中时为 null（年度结束后才判定）")


class MeasuresSerializer(serializers.Serializer):
    accidents = AccidentMeasureSerializer()
    deaths = AccidentMeasureSerializer()
    injuries = AccidentMeasureSerializer()
    direct_loss = AccidentMeasureSerializer()


class ComparisonSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    base_year = serializers.IntegerField()
    target_change_percent = serializers.IntegerField()
    in_progress = serializers.BooleanField(help_text="年度进行中：比较 1 月 1 日至今天与基准年同期，不判定目标")
    start = serializers.DateField(help_text="本年度比较期间的第一天")
    end = serializers.DateField(help_text="本年度比较期间的最后一天（年度进行中为今天）")
    base_start = serializers.DateField()
    base_end = serializers.DateField(help_text="基准年同期的最后一天（2 月 29 日对应平年的 2 月 28 日）")
    measures = MeasuresSerializer()
    on_target = serializers.BooleanField(
        allow_null=True, help_text="事故起数和死亡人数均达到下降目标；年度进行中时为 null"
    )


class YearQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    organization = IdField(required=False)


@extend_schema_view(
    list=extend_schema(summary="事故报告", description="调用者可见的事故报告（含已作废的）。", tags=TAGS),
    retrieve=extend_schema(summary="事故报告详情", tags=TAGS),
)
class AccidentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.ACCIDENT_VIEW, "POST": Action.ACCIDENT_REPORT}
    required_action = Action.ACCIDENT_VIEW
    lookup_value_converter = "int"
    serializer_class = AccidentSerializer
    queryset = Accident.objects.none()

    def get_queryset(self):
        return (
            Accident.objects.visible_to(self.request.user)
            .select_related("organization")
            .prefetch_related("hazards")
            .order_by("-occurred_at", "-pk")
        )

    def _answer(self, accident, code=status.HTTP_200_OK):
        return Response(AccidentSerializer(self.get_queryset().get(pk=accident.pk)).data, status=code)

    @extend_schema(summary="事故快报", request=AccidentInSerializer, responses={201: AccidentSerializer}, tags=TAGS)
    def create(self, request):
        d = dict(bind(AccidentInSerializer, request.data))
        org = scoped_ref(Organization, request.user, d.pop("organization"), field="organization")
        accident = services.accident_report(by=request.user, organization=org, data=d)
        return self._answer(accident, status.HTTP_201_CREATED)

    @extend_schema(
        summary="事故完整报告",
        description="原因、措施必填；可更新伤亡和损失；hazards 为事故背后的隐患 id（须属同一机构）。",
        request=AccidentCompleteInSerializer,
        responses={200: AccidentSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        accident = get_visible_or_404(Accident, request.user, pk=pk)
        d = dict(bind(AccidentCompleteInSerializer, request.data))
        hazards = services.hazards_of(accident, request.user, d.pop("hazards"))
        accident = services.accident_complete(by=request.user, accident=accident, data=d, hazards=hazards)
        return self._answer(accident)

    @extend_schema(summary="作废事故报告", request=VoidInSerializer, responses={200: AccidentSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        accident = get_visible_or_404(Accident, request.user, pk=pk)
        d = bind(VoidInSerializer, request.data)
        return self._answer(services.accident_void(by=request.user, accident=accident, reason=d["reason"]))


class AccidentStatsView(APIView):
    permission_classes = [HasAction]
    required_action = Action.ACCIDENT_VIEW

    @extend_schema(
        summary="事故年度比较",
        description=(
            "某年度（默认今年）的事故起数、死亡、受伤、直接经济损失，"
            "与基准年（2023）比较的变化百分比和下降 10% 的目标。"
            "年度进行中时比较 1 月 1 日至今天与基准年同期，年度结束后才判定是否达到目标。"
        ),
        parameters=[
            OpenApiParameter("year", int, description="年度"),
            OpenApiParameter("organization", int, description="只看一个机构"),
        ],
        responses={
            200: ComparisonSerializer,
            404: OpenApiResponse(description="organization 不存在或不在调用者的管辖范围内"),
        },
        tags=TAGS,
    )
    def get(self, request):
        q = bind(YearQuery, request.query_params, query=True)
        org = get_visible_or_404(Organization, request.user, pk=q["organization"]) if q.get("organization") else None
        figures = accident_stats.comparison(
            user=request.user, year=q.get("year") or timezone.localdate().year, organization=org
        )
        return Response(ComparisonSerializer(figures).data)
