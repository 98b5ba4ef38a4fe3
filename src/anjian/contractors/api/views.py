"""The contractors and work-permit API. Thin: selectors read, services write; objects out of the
caller's scope are 404 like missing ones, ids in a body that are not the caller's are 400."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from anjian.accounts.models import User
from anjian.contractors import selectors, services, workflow
from anjian.contractors.api import serializers as s
from anjian.contractors.choices import PermitStatus
from anjian.contractors.models import Contractor, PermitKind, Qualification, Worker, WorkPermit
from anjian.core.api import HasAction, bind, scoped_ref, scoped_refs
from anjian.core.errors import DomainError
from anjian.core.parsers import JSONParser
from anjian.core.permissions import Action
from anjian.core.schema import workflow_action_schema
from anjian.core.scoping import get_visible_or_404
from anjian.orgs.models import Department
from anjian.risks.models import RiskPoint

TAGS = ["contractors"]
PERMIT_TAGS = ["work-permits"]
REFUSALS = {
    403: OpenApiResponse(description="调用者的角色或与该作业票的关系不允许此操作"),
    404: OpenApiResponse(description="作业票不存在或不在调用者的管辖范围内"),
    409: OpenApiResponse(
        description="作业票当前状态不允许此操作，或开始作业的条件不满足（答复说明原因），或已被他人先行处理"
    ),
}
ACTION_RESPONSES = {200: s.WorkPermitDetailSerializer, **REFUSALS}
QUALIFICATION_REFUSALS = {
    403: OpenApiResponse(description="调用者的角色不能维护相关方，或该证书不属于调用者本单位"),
    404: OpenApiResponse(description="资质证书不存在或不在调用者的管辖范围内"),
    409: OpenApiResponse(description="该证书已停用"),
}


def _own(model, user, pk, field: str):
    """An object the body names: the caller's own institution's, else a 400 on that field."""
    return scoped_ref(
        model, user, pk, field=field, message=_("所选记录不存在或不属于本单位。"), organization_id=user.organization_id
    )


def _action_schema(name: str, request, note: str = "") -> Any:
    return workflow_action_schema(
        workflow.RULES[name],
        PermitStatus,
        thing="作业票",
        answer="更新后的作业票（含 allowed_actions 和 missing）",
        request=request,
        responses=ACTION_RESPONSES,
        tags=PERMIT_TAGS,
        note=note,
    )


@extend_schema_view(
    list=extend_schema(
        summary="危险作业类别",
        description="GB 30871-2022 的作业类别及其安全措施、气体分析和审批要求。",
        tags=PERMIT_TAGS,
    ),
    retrieve=extend_schema(summary="危险作业类别详情", tags=PERMIT_TAGS),
)
class PermitKindViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_action = Action.WORK_PERMIT_VIEW
    lookup_value_converter = "int"
    serializer_class = s.PermitKindSerializer
    pagination_class = None
    queryset = PermitKind.objects.none()

    def get_queryset(self):
        return selectors.kind_list(active=None)


@extend_schema_view(
    list=extend_schema(summary="相关方单位", description="调用者可见的相关方（承包商、外包服务单位）。", tags=TAGS),
    retrieve=extend_schema(
        summary="相关方详情",
        description=(
            "含资质证书、安全生产管理协议、作业人员（身份证号脱敏）、评价，以及不能办理新作业票的原因 blockers。"
        ),
        tags=TAGS,
    ),
)
class ContractorViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.CONTRACTOR_VIEW, "POST": Action.CONTRACTOR_MANAGE}
    required_action = Action.CONTRACTOR_VIEW
    lookup_value_converter = "int"
    queryset = Contractor.objects.none()

    def get_queryset(self):
        if self.action == "retrieve":
            return Contractor.objects.none()
        return selectors.contractor_list(
            user=self.request.user, q=self.request.query_params.get("q", "")[:100], active=None
        )

    def get_serializer_class(self):
        return s.ContractorDetailSerializer if self.action == "retrieve" else s.ContractorSerializer

    def retrieve(self, request, pk=None):
        return Response(s.ContractorDetailSerializer(selectors.contractor_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="登记相关方", request=s.ContractorInSerializer, responses={201: s.ContractorSerializer}, tags=TAGS
    )
    def create(self, request):
        d = bind(s.ContractorInSerializer, request.data)
        contractor = services.contractor_create(by=request.user, data=dict(d))
        contractor = selectors.contractor_list(user=request.user, active=None).get(pk=contractor.pk)
        return Response(s.ContractorSerializer(contractor).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="登记资质证书",
        description=(
            "multipart（含扫描件 file）或 JSON。同名证书以有效期最晚的为准：过期证书续期后登记新证即可，"
            "过期且未续期的证书使该相关方不能办理新作业票。"
        ),
        request={"multipart/form-data": s.QualificationInSerializer, "application/json": s.QualificationInSerializer},
        responses={201: s.QualificationItemSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def qualifications(self, request, pk=None):
        contractor = get_visible_or_404(Contractor, request.user, pk=pk)
        d = dict(bind(s.QualificationInSerializer, request.data))
        file = d.pop("file", None)
        q = services.qualification_add(by=request.user, contractor=contractor, data=d, file=file)
        q = Qualification.objects.select_related("contractor").get(pk=q.pk)
        return Response(s.QualificationItemSerializer(q).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="登记作业人员",
        description="身份证号加密保存；答复和此后的所有页面、导出、接口只显示脱敏号码。",
        request=s.WorkerInSerializer,
        responses={201: s.WorkerSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def workers(self, request, pk=None):
        contractor = get_visible_or_404(Contractor, request.user, pk=pk)
        d = bind(s.WorkerInSerializer, request.data)
        worker = services.worker_add(by=request.user, contractor=contractor, data=dict(d))
        return Response(s.WorkerSerializer(worker).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="相关方资质证书",
        description="调用者可见的相关方资质证书；contractor 为相关方 id，active=false 列出已停用的。",
        parameters=[
            OpenApiParameter("contractor", int, description="相关方 id"),
            OpenApiParameter("active", bool, description="默认只列有效（未停用）的证书"),
        ],
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="资质证书详情", tags=TAGS),
)
class QualificationViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.CONTRACTOR_VIEW, "POST": Action.CONTRACTOR_MANAGE}
    required_action = Action.CONTRACTOR_VIEW
    lookup_value_converter = "int"
    serializer_class = s.QualificationItemSerializer
    queryset = Qualification.objects.none()

    def get_queryset(self):
        if self.action != "list":
            return selectors.qualification_list(user=self.request.user, active=None)
        q = bind(s.QualificationQuery, self.request.query_params, query=True)
        return selectors.qualification_list(
            user=self.request.user, contractor_id=q.get("contractor"), active=q.get("active", True)
        )

    @extend_schema(
        summary="停用资质证书",
        description=(
            "资质证书有效（未停用）时可执行（须由本单位负责人、安全管理员执行），之后为已停用："
            "不再计入该相关方不能办理新作业票的原因和证照到期提醒，记录保留，原因记入操作记录。"
            "须填写原因 reason。成功时答 200 和更新后的证书。"
        ),
        request=s.RetireSerializer,
        responses={200: s.QualificationItemSerializer, **QUALIFICATION_REFUSALS},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        qualification = get_visible_or_404(Qualification, request.user, pk=pk)
        d = bind(s.RetireSerializer, request.data)
        services.qualification_retire(by=request.user, qualification=qualification, reason=d["reason"])
        return Response(s.QualificationItemSerializer(self.get_queryset().get(pk=qualification.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="危险作业票",
        description="调用者可见的作业票；status 可为状态值或 live（作业中和已暂停），kind 为类别编码。",
        tags=PERMIT_TAGS,
    ),
    retrieve=extend_schema(
        summary="作业票详情",
        description=(
            "含审批、气体分析、作业人员、调用者现在可执行的操作 allowed_actions，以及开始作业前尚缺的条件 missing。"
        ),
        tags=PERMIT_TAGS,
    ),
)
class WorkPermitViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_value_converter = "int"
    queryset = WorkPermit.objects.none()

    @property
    def required_action(self) -> Action:
        # filling in needs the right to apply; who may approve, start… the workflow decides
        return Action.WORK_PERMIT_APPLY if self.action == "create" else Action.WORK_PERMIT_VIEW

    def get_queryset(self):
        p = self.request.query_params
        return selectors.permit_list(
            user=self.request.user, status=p.get("status", ""), kind=p.get("kind", "")[:30], q=p.get("q", "")[:100]
        )

    def get_serializer_class(self):
        return s.WorkPermitDetailSerializer if self.action != "list" else s.WorkPermitListSerializer

    def _detail(self, pk) -> Response:
        permit = selectors.permit_get(user=self.request.user, pk=pk)
        return Response(s.WorkPermitDetailSerializer(permit, context=self.get_serializer_context()).data)

    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        summary="填写作业票",
        description=(
            "新建草稿。contractor 或 department 至少填一项；"
            "相关方的资质证书、安全生产管理协议或保险过期时答 400 并说明原因。"
            "之后 POST submit 提交审批。"
        ),
        request=s.WorkPermitInSerializer,
        responses={201: s.WorkPermitDetailSerializer},
        tags=PERMIT_TAGS,
    )
    def create(self, request):
        user = request.user
        d = dict(bind(s.WorkPermitInSerializer, request.data))
        kind = PermitKind.objects.filter(code=d["kind"], is_active=True).first()
        if kind is None:
            raise DomainError(_("没有编码为“%(code)s”的作业类别（或已停用）。") % {"code": d["kind"]}, field="kind")
        d["kind"] = kind
        d["contractor"] = _own(Contractor, user, d.get("contractor"), "contractor")
        d["department"] = _own(Department, user, d.get("department"), "department")
        d["risk_point"] = _own(RiskPoint, user, d.get("risk_point"), "risk_point")
        guardian = d.get("guardian")
        if guardian is not None:
            d["guardian"] = scoped_ref(
                User,
                user,
                guardian,
                field="guardian",
                message=_("监护人须为本单位人员。"),
                organization_id=user.organization_id,
            )
        ids = d.pop("workers", [])
        workers = scoped_refs(Worker, user, ids, field="workers", message=_("作业人员不存在或不属于所选相关方。"))
        permit = services.permit_create(by=user, data=d, workers=workers)
        response = self._detail(permit.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    def _act(self, pk, serializer_class, call) -> Response:
        permit = get_visible_or_404(WorkPermit.objects.select_related("kind"), self.request.user, pk=pk)
        data = bind(serializer_class, self.request.data)
        call(permit, self.request.user, data)
        return self._detail(permit.pk)

    @_action_schema("submit", s.EmptySerializer, "须已指定监护人；相关方证照过期时答 409。")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(pk, s.EmptySerializer, lambda p, by, d: services.permit_submit(permit=p, by=by))

    @_action_schema("approve", s.CommentSerializer, "当前环节同意；最后一个环节同意后作业票为“已批准待作业”。")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(
            pk, s.CommentSerializer, lambda p, by, d: services.permit_approve(permit=p, by=by, comment=d["comment"])
        )

    @_action_schema("reject", s.PermitReasonSerializer, "须填写理由。")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(
            pk, s.PermitReasonSerializer, lambda p, by, d: services.permit_reject(permit=p, by=by, reason=d["reason"])
        )

    @_action_schema("cancel", s.PermitReasonSerializer, "须填写原因。")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(
            pk, s.PermitReasonSerializer, lambda p, by, d: services.permit_cancel(permit=p, by=by, reason=d["reason"])
        )

    @_action_schema(
        "start",
        s.StartSerializer,
        "审批未完成、须气体分析而无合格且未超时的分析记录、超出计划时间或相关方证照过期时答 409 并说明原因；"
        "checks 须包含全部安全措施的序号。",
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._act(
            pk, s.StartSerializer, lambda p, by, d: services.permit_start(permit=p, by=by, checks=d["checks"])
        )

    @_action_schema("suspend", s.PermitReasonSerializer, "须填写原因。")
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._act(
            pk, s.PermitReasonSerializer, lambda p, by, d: services.permit_suspend(permit=p, by=by, reason=d["reason"])
        )

    @_action_schema("resume", s.EmptySerializer, "须气体分析的作业须有暂停后的合格分析。")
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._act(pk, s.EmptySerializer, lambda p, by, d: services.permit_resume(permit=p, by=by))

    @_action_schema(
        "close", {"multipart/form-data": s.CloseSerializer}, "multipart：note 验收意见，photos 现场照片至少一张。"
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def close(self, request, pk=None):
        photos = request.FILES.getlist("photos")
        return self._act(
            pk,
            s.CloseSerializer,
            lambda p, by, d: services.permit_close(permit=p, by=by, note=d["note"], photos=photos),
        )

    @extend_schema(
        summary="登记气体分析",
        description="动火、受限空间等须气体分析的作业：开始前须有合格且未超过有效时间（默认 30 分钟）的分析。",
        request=s.GasTestInSerializer,
        responses={201: s.GasTestSerializer, **REFUSALS},
        tags=PERMIT_TAGS,
    )
    @action(detail=True, methods=["post"], url_path="gas-tests")
    def gas_tests(self, request, pk=None):
        permit = get_visible_or_404(WorkPermit.objects.select_related("kind"), request.user, pk=pk)
        d = bind(s.GasTestInSerializer, request.data)
        test = services.permit_gas_test(permit=permit, by=request.user, data=dict(d))
        return Response(s.GasTestSerializer(test).data, status=status.HTTP_201_CREATED)
