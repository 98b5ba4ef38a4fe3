"""The inspections API: checklists, points, schedules, my due inspections, submitting a record
(failed items become hazards, or link to the one still open), and compliance.

Thin: reads from ``inspections.selectors``, writes through ``inspections.services``. Objects out
of the caller's scope are 404 like missing ones."""

from __future__ import annotations

import json
from collections import defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from anjian.core.api import HasAction
from anjian.core.errors import DomainError
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.hazards.api.serializers import ErrorSerializer
from anjian.hazards.api.views import bind
from anjian.inspections import selectors, services
from anjian.inspections.api import serializers as s
from anjian.inspections.models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    InspectionPoint,
    InspectionRecord,
    InspectionResult,
    Schedule,
)
from anjian.orgs.models import Organization

TAGS = ["inspections"]
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="输入有误或不符合业务规则，detail 为中文说明"),
    403: OpenApiResponse(ErrorSerializer, description="调用者的角色不允许此操作"),
    404: OpenApiResponse(ErrorSerializer, description="对象不存在或不在调用者的管辖范围内"),
    409: OpenApiResponse(ErrorSerializer, description="本周期已完成该检查"),
}


@extend_schema_view(
    list=extend_schema(
        summary="检查表", description="调用者可见的检查表（平台通用、上级监管部门的和本单位的）各版本。", tags=TAGS
    ),
    retrieve=extend_schema(summary="检查表详情", description="含分区和检查项。", tags=TAGS),
)
class TemplateViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_action = Action.INSPECTION_VIEW
    lookup_value_converter = "int"
    queryset = ChecklistTemplate.objects.none()

    def get_queryset(self):
        qs = (
            ChecklistTemplate.objects.visible_to(self.request.user).select_related("owner").order_by("name", "-version")
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch(
                    "sections",
                    queryset=ChecklistSection.objects.order_by("order", "pk").prefetch_related(
                        Prefetch(
                            "items", queryset=ChecklistItem.objects.select_related("category").order_by("order", "pk")
                        )
                    ),
                )
            )
        return qs

    def get_serializer_class(self):
        return s.TemplateDetailSerializer if self.action == "retrieve" else s.TemplateListSerializer


@extend_schema_view(
    list=extend_schema(summary="巡检点", description="调用者可见的巡检点，含二维码指向的地址 scan_url。", tags=TAGS),
    retrieve=extend_schema(summary="巡检点详情", tags=TAGS),
)
class PointViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_action = Action.INSPECTION_VIEW
    lookup_value_converter = "int"
    serializer_class = s.PointSerializer
    queryset = InspectionPoint.objects.none()

    def get_queryset(self):
        return InspectionPoint.objects.visible_to(self.request.user).select_related("department").order_by("pk")


@extend_schema_view(
    list=extend_schema(summary="排查计划", description="谁、用哪张检查表、在哪里、多久检查一次。", tags=TAGS),
    retrieve=extend_schema(summary="排查计划详情", tags=TAGS),
)
class ScheduleViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_action = Action.INSPECTION_VIEW
    lookup_value_converter = "int"
    serializer_class = s.ScheduleSerializer
    queryset = Schedule.objects.none()

    def get_queryset(self):
        return (
            Schedule.objects.visible_to(self.request.user)
            .select_related("assignee", "post__department", "department")
            .prefetch_related("points")
            .order_by("pk")
        )


def _record_qs(user):
    return InspectionRecord.objects.visible_to(user).prefetch_related(
        Prefetch("results", queryset=InspectionResult.objects.select_related("item", "hazard"))
    )


@extend_schema_view(
    list=extend_schema(summary="检查记录", description="调用者可见的检查记录，新的在前。", tags=TAGS),
    retrieve=extend_schema(summary="检查记录详情", responses={200: s.RecordSerializer, 404: ERRORS[404]}, tags=TAGS),
)
class InspectionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Inspection records (检查记录), my due inspections and compliance."""

    permission_classes = [HasAction]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_value_converter = "int"
    serializer_class = s.RecordListSerializer
    queryset = InspectionRecord.objects.none()

    @property
    def required_action(self) -> Action:
        if self.action == "create":
            return Action.INSPECTION_PERFORM
        if self.action == "compliance":
            return Action.COMPLIANCE_VIEW
        return Action.INSPECTION_VIEW

    def get_queryset(self):
        return selectors.record_list(user=self.request.user)

    def retrieve(self, request, pk=None):
        record = get_visible_or_404(_record_qs(request.user), request.user, pk=pk)
        return Response(s.RecordSerializer(record).data)

    @extend_schema(
        summary="提交检查记录",
        description=(
            'JSON：{"schedule": id, "point": id 或 null, "results": [{"item": id, "result": "pass"|"fail"|"na", '
            '"note": "…"}]}，须覆盖该计划检查表现行版本的每一项。不合格项须说明问题；标明“不合格须拍照”的项须带照片：'
            "此时用 multipart，results 为 JSON 字符串，照片字段名为 photo_<检查项 id>。"
            "每个不合格项登记为隐患（来源：自查），同一巡检点同一检查项已有未销号隐患时关联该隐患而不重复登记。"
            "答 201 和记录，hazards 为登记或关联的隐患 id。"
        ),
        request={"application/json": s.RecordInSerializer},
        responses={201: s.RecordSerializer, **ERRORS},
        tags=TAGS,
    )
    def create(self, request):
        data = request.data
        if hasattr(data, "getlist") and isinstance(data.get("results"), str):
            try:
                data = {**{k: data.get(k) for k in data}, "results": json.loads(data["results"])}
            except ValueError as exc:
                raise DomainError(_("results 须为 JSON 数组。"), field="results") from exc
            if data.get("point") in ("", "null"):
                data["point"] = None
        d = bind(s.RecordInSerializer, data)
        user = request.user
        schedule = get_visible_or_404(Schedule, user, pk=d["schedule"])
        point = get_visible_or_404(InspectionPoint, user, pk=d["point"]) if d.get("point") is not None else None
        results = [
            {**r, "photos": request.FILES.getlist(f"photo_{r['item']}") if request.FILES else []} for r in d["results"]
        ]
        record = services.inspection_submit(
            by=user, schedule=schedule, point=point, results=results, note=d.get("note", "")
        )
        record = _record_qs(user).get(pk=record.pk)
        return Response(s.RecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="我今天的排查任务",
        description=(
            "调用者当前周期应做的检查（按排查计划计算，不是预先生成的），"
            "每项含 schedule、point 和要填写的 items（id、text）；done 表示本周期已完成。"
        ),
        responses={200: s.DueSerializer(many=True)},
        tags=TAGS,
    )
    @action(detail=False, methods=["get"])
    def due(self, request):
        entries = selectors.due_for(request.user)
        template_ids = {e.template.pk for e in entries if e.template is not None}
        items = defaultdict(list)
        for item in (
            ChecklistItem.objects.filter(template_id__in=template_ids)
            .select_related("section")
            .order_by("section__order", "order", "pk")
        ):
            items[item.template_id].append(item)
        return Response(s.DueSerializer(entries, many=True, context={"items": items}).data)

    @extend_schema(
        summary="排查完成情况",
        description=(
            "某期间（period=YYYY-MM、YYYY-Qn、YYYY-Hn 或 YYYY）某范围（organization=机构或监管部门 id）的"
            "应检、已检、完成率，按计划、人员、岗位、科室、机构汇总，并列出漏检。"
        ),
        parameters=[s.ComplianceQuerySerializer],
        responses={200: s.ComplianceSerializer, 400: ERRORS[400], 404: ERRORS[404]},
        tags=TAGS,
    )
    @action(detail=False, methods=["get"])
    def compliance(self, request):
        q = bind(s.ComplianceQuerySerializer, {k: v for k, v in request.query_params.items() if v != ""}, query=True)
        period = selectors.parse_period(q.get("period") or selectors.current_month())
        organization = None
        if q.get("organization") is not None:
            organization = get_visible_or_404(Organization, request.user, pk=q["organization"])
        result = selectors.compliance(user=request.user, period=period, organization=organization)
        body = {
            "period": period.code,
            "period_label": period.label,
            "organization": organization.pk if organization else None,
            "total": result.total,
            "by_schedule": result.by_schedule,
            "by_person": result.by_person,
            "by_post": result.by_post,
            "by_department": result.by_department,
            "by_institution": result.by_institution,
            "missed": [
                {
                    "schedule": sch.pk,
                    "schedule_name": sch.name,
                    "point": p.pk if p else None,
                    "period_start": slot.start,
                    "period_end": slot.end,
                }
                for sch, p, slot in result.total.missed
            ],
        }
        return Response(s.ComplianceSerializer(body).data)
