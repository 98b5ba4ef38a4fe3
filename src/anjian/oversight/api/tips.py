"""The tips API: the public part (no login: submit, challenge, status by receipt code), the internal
tips of an institution's staff (signed in: submit, their own list), and the regulator's queue
(accept → {"hazard"}, dismiss, reply, contact and reporter: audited)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.core.api import HasAction, bind, scoped_ref
from anjian.core.errors import DomainError
from anjian.core.middleware import client_address
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.hazards.models import Criterion, HazardCategory
from anjian.orgs.models import Organization
from anjian.oversight import abuse, selectors, services
from anjian.oversight.api import serializers as s
from anjian.oversight.models import Tip

TAGS = ["tips"]


class PublicTipCreateView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="提交群众举报（无需登录）",
        description=(
            "organization（机构 id，或地址所在辖区卫健委的 id 加 address）、description、可选 photos、"
            "contact；challenge 与 answer 为验证题（GET public/tips/challenge/）。同一地址每分钟最多 19 条，"
            "超出返回 429。返回 receipt_code：凭它查询处理状态和答复。"
        ),
        request={"multipart/form-data": s.TipInSerializer, "application/json": s.TipInSerializer},
        responses={
            201: s.ReceiptSerializer,
            429: OpenApiResponse(description="同一地址一分钟内提交过多，请稍后再试"),
        },
        tags=TAGS,
    )
    def post(self, request):
        abuse.check_rate(client_address(request))
        d = dict(bind(s.TipInSerializer, request.data))
        abuse.challenge_check(d.pop("challenge"), d.pop("answer"))
        pk = d.get("organization")
        d["organization"] = Organization.objects.filter(pk=pk).first() if pk else None
        photos = request.FILES.getlist("photos") if hasattr(request, "FILES") else []
        tip = services.tip_submit(data=d, photos=photos)
        return Response({"receipt_code": tip.receipt_code}, status=status.HTTP_201_CREATED)


class PublicChallengeView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(summary="举报验证题（无需登录）", responses={200: s.ChallengeSerializer}, tags=TAGS)
    def get(self, request):
        challenge = abuse.challenge_new()
        return Response({"question": challenge.question, "token": challenge.token})


class PublicTipStatusView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="凭回执码查询举报（无需登录）",
        description="只返回处理状态（received/accepted/closed/dismissed）和监管部门的答复，不含任何人名。",
        responses={200: s.PublicStatusSerializer},
        tags=TAGS,
    )
    def get(self, request, receipt_code):
        abuse.check_rate(client_address(request), scope="status", limit=30)
        tip = selectors.tip_public(receipt_code)
        if tip is None:
            raise Http404
        return Response(selectors.tip_public_answer(tip))


class InternalTipCreateView(APIView):
    """A staff member's tip about their own institution (内部举报), signed in."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="提交内部举报（机构职工，需登录）",
        description=(
            "机构职工举报本单位的安全隐患：location、description、可选 photos、contact。直接送达本单位的"
            "监管部门，本单位看不到举报人；账号记为举报人，仅监管部门的举报处理人员可查看（记入操作记录）。"
            "每个账号每分钟最多 19 条，超出返回 429；非机构职工返回 403。"
        ),
        request={"multipart/form-data": s.InternalTipInSerializer, "application/json": s.InternalTipInSerializer},
        responses={
            201: s.ReceiptSerializer,
            403: OpenApiResponse(description="调用者不是医疗卫生机构的职工"),
            429: OpenApiResponse(description="同一账号一分钟内提交过多，请稍后再试"),
        },
        tags=TAGS,
    )
    def post(self, request):
        abuse.check_rate(abuse.account_key(request.user), scope="tip-internal")
        d = dict(bind(s.InternalTipInSerializer, request.data))
        photos = request.FILES.getlist("photos") if hasattr(request, "FILES") else []
        d.pop("photos", None)
        tip = services.tip_submit_internal(by=request.user, data=d, photos=photos)
        return Response({"receipt_code": tip.receipt_code}, status=status.HTTP_201_CREATED)


class MyTipListView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="我的内部举报",
        description="调用者本人提交的内部举报：处理状态、监管部门的答复、奖励是否批准。",
        responses={200: s.OwnTipSerializer(many=True)},
        tags=TAGS,
    )
    def get(self, request):
        tips = selectors.tip_list_mine(user=request.user)[:200]
        return Response(s.OwnTipSerializer([selectors.tip_own_answer(t) for t in tips], many=True).data)


@extend_schema_view(
    list=extend_schema(summary="举报受理队列", description="可按 status 过滤；不含举报人联系方式。", tags=TAGS),
    retrieve=extend_schema(summary="举报详情", tags=TAGS),
)
class TipViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_action = Action.TIP_HANDLE
    lookup_value_converter = "int"
    serializer_class = s.TipSerializer
    queryset = Tip.objects.none()

    def get_queryset(self):
        return selectors.tip_list(user=self.request.user, status=self.request.query_params.get("status", ""))

    def _tip(self, pk) -> Tip:
        return get_visible_or_404(Tip, self.request.user, pk=pk)

    @extend_schema(
        summary="受理举报并登记隐患",
        description="在机构隐患台账登记一条来源为“举报”的隐患（来源编号为举报编号），返回隐患 id。",
        request=s.TipAcceptInSerializer,
        responses={200: s.HazardRefSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        tip = self._tip(pk)
        d = dict(bind(s.TipAcceptInSerializer, request.data))
        d["category"] = HazardCategory.objects.filter(pk=d["category"], is_active=True).first()
        if d["category"] is None:
            raise DomainError(_("所选隐患类别不存在或已停用。"), field="category")
        if d.get("criterion"):
            d["criterion"] = Criterion.objects.filter(pk=d["criterion"], is_active=True).first()
            if d["criterion"] is None:
                raise DomainError(_("所选判定依据不存在或已停用。"), field="criterion")
        else:
            d["criterion"] = None
        org = d.get("organization")
        d["organization"] = scoped_ref(Organization, request.user, org or None, field="organization")
        tip = services.tip_accept(tip=tip, by=request.user, data=d, reply=d.get("reply") or "")
        return Response({"hazard": tip.hazard_id, "number": tip.hazard.number})

    @extend_schema(
        summary="举报不予受理", request=s.TipDismissInSerializer, responses={200: s.TipSerializer}, tags=TAGS
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        tip = self._tip(pk)
        d = bind(s.TipDismissInSerializer, request.data)
        tip = services.tip_dismiss(tip=tip, by=request.user, reason=d["reason"], reply=d.get("reply") or "")
        return Response(s.TipSerializer(self.get_queryset().get(pk=tip.pk)).data)

    @extend_schema(summary="答复举报人", request=s.TipReplyInSerializer, responses={200: s.TipSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        tip = self._tip(pk)
        d = bind(s.TipReplyInSerializer, request.data)
        tip = services.tip_reply(tip=tip, by=request.user, reply=d["reply"])
        return Response(s.TipSerializer(self.get_queryset().get(pk=tip.pk)).data)

    @extend_schema(
        summary="查看举报人联系方式",
        description="contact：举报人留下的联系方式；reporter：内部举报的举报人账号（姓名、手机号、单位）。每次查看都记入操作记录。",
        request=None,
        responses={200: s.ContactSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def contact(self, request, pk=None):
        return Response(services.tip_reporter(tip=self._tip(pk), by=request.user))
