"""The risks API: risk points, risks (POST rates with LEC or LS and answers score, level and
colour), control measures and post cards (acknowledged by staff). Thin: selectors read, services
write; objects out of the caller's scope are 404 like missing ones (an id in the body: 400, ``scoped_ref``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.accounts.models import User
from anjian.core.api import HasAction, bind, scoped_ref
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.orgs.models import Department, Post
from anjian.risks import selectors, services
from anjian.risks.api import serializers as s
from anjian.risks.models import ControlMeasure, PostCard, Risk, RiskPoint

TAGS = ["risks"]


def _opt(model, user, pk, field):
    return scoped_ref(model, user, pk, field=field)


@extend_schema_view(
    list=extend_schema(summary="风险点", description="调用者可见的风险点，含最高风险等级。", tags=TAGS),
    retrieve=extend_schema(summary="风险点详情", tags=TAGS),
)
class RiskPointViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.RISK_VIEW, "POST": Action.RISK_MANAGE}
    required_action = Action.RISK_VIEW
    lookup_value_converter = "int"
    serializer_class = s.RiskPointSerializer
    queryset = RiskPoint.objects.none()

    def get_queryset(self):
        return selectors.risk_point_list(user=self.request.user, active=None)

    @extend_schema(
        summary="新建风险点",
        request=s.RiskPointInSerializer,
        responses={201: s.RiskPointSerializer},
        tags=TAGS,
    )
    def create(self, request):
        d = dict(bind(s.RiskPointInSerializer, request.data))
        d["department"] = _opt(Department, request.user, d.get("department"), "department")
        point = services.risk_point_create(by=request.user, data=d)
        point = self.get_queryset().get(pk=point.pk)
        return Response(s.RiskPointSerializer(point).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="风险清单", description="调用者可见的风险，重大风险在前。", tags=TAGS),
    retrieve=extend_schema(summary="风险详情", description="含启用的管控措施。", tags=TAGS),
)
class RiskViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.RISK_VIEW, "POST": Action.RISK_MANAGE}
    required_action = Action.RISK_VIEW
    lookup_value_converter = "int"
    queryset = Risk.objects.none()

    def get_queryset(self):
        qs = selectors.risk_list(user=self.request.user, active=None)
        level = self.request.query_params.get("level")
        if level in s.RiskLevel.values:
            qs = qs.filter(level=level)
        point = self.request.query_params.get("risk_point")
        if point and point.isdigit():
            qs = qs.filter(risk_point_id=int(point))
        return qs

    def get_serializer_class(self):
        return s.RiskDetailSerializer if self.action == "retrieve" else s.RiskSerializer

    @extend_schema(
        summary="辨识并评价风险",
        description=(
            "在风险点登记一项风险并按现行方法表评价：method 为 LEC 时填 l、e、c，为 LS 时填 l、s；"
            "取值须在方法表内。返回 score（风险值）、level（major/significant/general/low）和 "
            "colour（red/orange/yellow/blue）。"
        ),
        request=s.RiskInSerializer,
        responses={201: s.RiskSerializer},
        tags=TAGS,
    )
    def create(self, request):
        binder = s.RiskInSerializer(data=request.data)
        d = bind(s.RiskInSerializer, request.data)
        binder.is_valid()
        point = scoped_ref(RiskPoint, request.user, d["risk_point"], field="risk_point")
        risk = services.risk_create(
            by=request.user,
            risk_point=point,
            data={k: d.get(k) for k in ("name", "accident_type", "description", "review_on")},
            method=d["method"],
            factors=binder.factors(),
            note=d.get("note", ""),
        )
        risk = self.get_queryset().get(pk=risk.pk)
        return Response(s.RiskSerializer(risk).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="重新评价风险",
        description="按现行方法表重新评价；原评价记录保留。",
        request=s.RatingInSerializer,
        responses={200: s.RiskSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], url_path="reassess")
    def reassess(self, request, pk=None):
        risk = get_visible_or_404(Risk, request.user, pk=pk)
        binder = s.RatingInSerializer(data=request.data)
        d = bind(s.RatingInSerializer, request.data)
        binder.is_valid()
        services.risk_reassess(
            by=request.user, risk=risk, method=d["method"], factors=binder.factors(), note=d.get("note", "")
        )
        return Response(s.RiskSerializer(self.get_queryset().get(pk=risk.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="管控措施", description="可按 risk 过滤。", tags=TAGS),
    retrieve=extend_schema(summary="管控措施详情", tags=TAGS),
)
class MeasureViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.RISK_VIEW, "POST": Action.RISK_MANAGE}
    required_action = Action.RISK_VIEW
    lookup_value_converter = "int"
    serializer_class = s.MeasureSerializer
    queryset = ControlMeasure.objects.none()

    def get_queryset(self):
        qs = (
            ControlMeasure.objects.visible_to(self.request.user)
            .select_related("responsible_post", "responsible_person")
            .order_by("risk_id", "pk")
        )
        risk = self.request.query_params.get("risk")
        if risk and risk.isdigit():
            qs = qs.filter(risk_id=int(risk))
        return qs

    @extend_schema(
        summary="新增管控措施", request=s.MeasureInSerializer, responses={201: s.MeasureSerializer}, tags=TAGS
    )
    def create(self, request):
        d = dict(bind(s.MeasureInSerializer, request.data))
        user = request.user
        risk = scoped_ref(Risk, user, d.pop("risk"), field="risk")
        d["responsible_post"] = _opt(Post, user, d.get("responsible_post"), "responsible_post")
        d["responsible_person"] = _opt(User, user, d.get("responsible_person"), "responsible_person")
        measure = services.measure_add(by=user, risk=risk, data=d)
        return Response(s.MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="两单两卡", description="各岗位的风险清单、职责清单、操作卡和应急处置卡。", tags=TAGS),
    retrieve=extend_schema(summary="岗位两单两卡", tags=TAGS),
)
class PostCardViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_action = Action.RISK_VIEW
    lookup_value_converter = "int"
    serializer_class = s.PostCardSerializer
    queryset = PostCard.objects.none()

    def get_queryset(self):
        return selectors.card_list(user=self.request.user)

    @extend_schema(
        summary="确认已学习两单两卡",
        description="本岗位人员确认已阅读当前版本（每个版本记录一次）。",
        request=None,
        responses={200: s.PostCardSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], url_path="acknowledge")
    def acknowledge(self, request, pk=None):
        card = get_visible_or_404(PostCard, request.user, pk=pk)
        services.post_card_acknowledge(by=request.user, card=card)
        return Response(s.PostCardSerializer(card, context={"request": request}).data)
