"""The registers API: equipment (POST answers ``next_due_on``; ``?due_before=YYYY-MM-DD``) and its
inspections (a passed one moves ``next_due_on``), the chemical inventory, the in/out ledger with a
second person's confirmation, waste handovers. Thin: selectors read, services write; objects out of
the caller's scope are 404 like missing ones."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from anjian.core.api import HasAction, ReasonInSerializer, bind, scoped_ref
from anjian.core.errors import DomainError
from anjian.core.parsers import JSONParser
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.registers import selectors, services
from anjian.registers.api import serializers as s
from anjian.registers.choices import DueState, MovementStatus
from anjian.registers.models import (
    Chemical,
    ChemicalMovement,
    ChemicalStock,
    Equipment,
    EquipmentKind,
    StoragePlace,
    WasteHandover,
)
from anjian.risks.models import RiskPoint

TAGS = ["registers"]


class EquipmentQuery(serializers.Serializer):
    due_before = serializers.DateField(required=False)
    state = serializers.ChoiceField(choices=DueState.choices, required=False)
    kind = serializers.CharField(required=False, max_length=40)


class WasteQuery(serializers.Serializer):
    month = serializers.DateField(required=False, input_formats=["%Y-%m"])


def _kind(value: str) -> EquipmentKind:
    value = (value or "").strip()
    kind = EquipmentKind.objects.filter(**({"pk": int(value)} if value.isdigit() else {"code": value})).first()
    if kind is None:
        raise DomainError(_("没有这种设备种类：%(k)s。") % {"k": value}, field="kind")
    return kind


@extend_schema_view(
    list=extend_schema(
        summary="设备设施台账",
        description="调用者可见的特种设备和消防设施，按下次检验日期排列。",
        parameters=[
            OpenApiParameter("due_before", OpenApiTypes.DATE, description="下次检验日期不晚于该日（YYYY-MM-DD）"),
            OpenApiParameter("state", str, enum=DueState.values, description="检验状态"),
            OpenApiParameter("kind", str, description="设备种类编码"),
        ],
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="设备设施详情", tags=TAGS),
)
class EquipmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.REGISTER_VIEW, "POST": Action.REGISTER_MANAGE}
    required_action = Action.REGISTER_VIEW
    lookup_value_converter = "int"
    serializer_class = s.EquipmentSerializer
    queryset = Equipment.objects.none()
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if self.action != "list":
            return selectors.equipment_list(user=self.request.user, active=None)
        q = bind(EquipmentQuery, self.request.query_params, query=True)
        return selectors.equipment_list(
            user=self.request.user,
            due_before=q.get("due_before"),
            state=q.get("state") or "",
            kind=_kind(q["kind"]) if q.get("kind") else None,
        )

    @extend_schema(
        summary="登记设备设施",
        description="kind 为设备种类编码；有 last_inspected_on 时按种类的法定周期算出 next_due_on。",
        request=s.EquipmentInSerializer,
        responses={201: s.EquipmentSerializer},
        tags=TAGS,
    )
    def create(self, request):
        d = dict(bind(s.EquipmentInSerializer, request.data))
        user = request.user
        data = {
            "name": d["name"],
            "kind": _kind(d["kind"]),
            "area": d.get("location", ""),
            "registration_number": d.get("registration_number", ""),
            "maintenance_contractor": d.get("maintenance_contractor", ""),
            "interval_months": d.get("interval_months"),
            "last_inspected_on": d.get("last_inspected_on"),
        }
        if d.get("risk_point") is not None:
            data["risk_point"] = scoped_ref(RiskPoint, user, d["risk_point"], field="risk_point")
        item = services.equipment_create(by=user, data=data)
        return Response(s.EquipmentSerializer(self.get_queryset().get(pk=item.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="登记检验/维保记录",
        description=(
            "multipart：inspected_on、result（passed/conditional/failed）、report（检验报告文件）。"
            "法定检验合格（含基本合格）时 next_due_on 按周期顺延；不合格或维护保养（kind=maintenance）不顺延。"
        ),
        request={"multipart/form-data": s.InspectionInSerializer},
        responses={201: s.EquipmentSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def inspections(self, request, pk=None):
        item = get_visible_or_404(Equipment, request.user, pk=pk)
        d = bind(s.InspectionInSerializer, request.data)
        services.equipment_record(
            by=request.user,
            equipment=item,
            kind=d["kind"],
            performed_on=d["inspected_on"],
            result=d["result"],
            report=d.get("report"),
            agency=d.get("agency", ""),
            report_number=d.get("report_number", ""),
            note=d.get("note", ""),
        )
        item = selectors.equipment_list(user=request.user, active=None).get(pk=item.pk)
        return Response(s.EquipmentSerializer(item).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="危化品储存地点",
        description="调用者可见的危化品储存地点（登记库存时的 place），含在风险四色图楼层平面图上的位置。",
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="储存地点详情", tags=TAGS),
)
class PlaceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.REGISTER_VIEW, "POST": Action.REGISTER_MANAGE}
    required_action = Action.REGISTER_VIEW
    lookup_value_converter = "int"
    serializer_class = s.PlaceSerializer
    queryset = StoragePlace.objects.none()

    def get_queryset(self):
        return selectors.place_list(user=self.request.user, active=None)

    @extend_schema(
        summary="新建危化品储存地点",
        description="本机构的储存地点；在平面图上的位置在页面上标注。",
        request=s.PlaceInSerializer,
        responses={201: s.PlaceSerializer},
        tags=TAGS,
    )
    def create(self, request):
        d = dict(bind(s.PlaceInSerializer, request.data))
        if d.get("risk_point") is not None:
            d["risk_point"] = scoped_ref(RiskPoint, request.user, d["risk_point"], field="risk_point")
        place = services.storage_place_create(by=request.user, data=d)
        return Response(s.PlaceSerializer(self.get_queryset().get(pk=place.pk)).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="危化品库存（一张表）",
        description="调用者可见的各储存地点危化品库存、最大允许储存量和是否超量。",
        parameters=[OpenApiParameter("over_limit", bool, description="仅超量")],
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="危化品库存详情", tags=TAGS),
)
class StockViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.REGISTER_VIEW, "POST": Action.REGISTER_MANAGE}
    required_action = Action.REGISTER_VIEW
    lookup_value_converter = "int"
    serializer_class = s.StockSerializer
    queryset = ChemicalStock.objects.none()

    def get_queryset(self):
        over = self.request.query_params.get("over_limit") in ("1", "true", "True")
        return selectors.stock_list(user=self.request.user, over_limit=over and self.action == "list")

    @extend_schema(summary="登记危化品库存", request=s.StockInSerializer, responses={201: s.StockSerializer}, tags=TAGS)
    def create(self, request):
        d = bind(s.StockInSerializer, request.data)
        user = request.user
        place = scoped_ref(StoragePlace, user, d["place"], field="place")
        chemical = Chemical.objects.filter(pk=d["chemical"]).first()
        if chemical is None:
            raise DomainError(_("危化品目录中没有该品种。"), field="chemical")
        stock = services.stock_create(
            by=user,
            place=place,
            chemical=chemical,
            unit=d["unit"],
            max_quantity=d["max_quantity"],
            initial_quantity=d.get("quantity") or 0,
        )
        return Response(s.StockSerializer(self.get_queryset().get(pk=stock.pk)).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="危化品出入库台账",
        parameters=[OpenApiParameter("status", str, enum=MovementStatus.values, description="状态")],
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="出入库记录详情", tags=TAGS),
)
class MovementViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.REGISTER_VIEW, "POST": Action.CHEMICAL_MOVE}
    required_action = Action.REGISTER_VIEW
    lookup_value_converter = "int"
    serializer_class = s.MovementSerializer
    queryset = ChemicalMovement.objects.none()

    def get_queryset(self):
        state = self.request.query_params.get("status")
        return selectors.movement_list(
            user=self.request.user, status=state if state in MovementStatus.values and self.action == "list" else ""
        )

    @extend_schema(
        summary="登记出入库",
        description="登记后为待复核（pending），须由另一人调用 confirm 复核后才计入库存（双人收发）。",
        request=s.MovementInSerializer,
        responses={201: s.MovementSerializer},
        tags=TAGS,
    )
    def create(self, request):
        d = bind(s.MovementInSerializer, request.data)
        stock = scoped_ref(ChemicalStock, request.user, d["stock"], field="stock")
        movement = services.movement_record(
            by=request.user,
            stock=stock,
            direction=d["direction"],
            amount=d["quantity"],
            moved_on=d.get("moved_on"),
            purpose=d.get("purpose", ""),
        )
        return Response(s.MovementSerializer(self.get_queryset().get(pk=movement.pk)).data, status=201)

    @extend_schema(
        summary="复核出入库（第二人）",
        description="登记人以外的另一人复核，库存随之增减；登记人本人复核答 403。",
        request=None,
        responses={200: s.MovementSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        movement = get_visible_or_404(ChemicalMovement, request.user, pk=pk)
        services.movement_confirm(by=request.user, movement=movement)
        return Response(s.MovementSerializer(self.get_queryset().get(pk=movement.pk)).data)

    @extend_schema(
        summary="作废待复核的出入库", request=ReasonInSerializer, responses={200: s.MovementSerializer}, tags=TAGS
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        movement = get_visible_or_404(ChemicalMovement, request.user, pk=pk)
        d = bind(ReasonInSerializer, request.data)
        services.movement_cancel(by=request.user, movement=movement, reason=d["reason"])
        return Response(s.MovementSerializer(self.get_queryset().get(pk=movement.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="医疗废物和危险废物交接记录",
        parameters=[OpenApiParameter("month", str, description="月份（YYYY-MM）")],
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="交接记录详情", tags=TAGS),
)
class WasteViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.REGISTER_VIEW, "POST": Action.REGISTER_MANAGE}
    required_action = Action.REGISTER_VIEW
    lookup_value_converter = "int"
    serializer_class = s.WasteSerializer
    queryset = WasteHandover.objects.none()

    def get_queryset(self):
        if self.action != "list":
            return WasteHandover.objects.visible_to(self.request.user).select_related("organization")
        q = bind(WasteQuery, self.request.query_params, query=True)
        return selectors.waste_list(user=self.request.user, month=q.get("month"))

    @extend_schema(summary="登记废物交接", request=s.WasteInSerializer, responses={201: s.WasteSerializer}, tags=TAGS)
    def create(self, request):
        d = bind(s.WasteInSerializer, request.data)
        handover = services.waste_handover_record(by=request.user, data=dict(d))
        return Response(s.WasteSerializer(self.get_queryset().get(pk=handover.pk)).data, status=201)

    @extend_schema(summary="作废交接记录", request=ReasonInSerializer, responses={200: s.WasteSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        handover = get_visible_or_404(WasteHandover, request.user, pk=pk)
        d = bind(ReasonInSerializer, request.data)
        services.waste_handover_void(by=request.user, handover=handover, reason=d["reason"])
        return Response(s.WasteSerializer(self.get_queryset().get(pk=handover.pk)).data)
