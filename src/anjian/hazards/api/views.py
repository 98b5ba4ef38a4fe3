"""The hazards API: the ledger, reporting, a hazard's page, and each action of the closed loop.

Thin by design: reads come from ``hazards.selectors``, every change is one call of a service in
``hazards.services``, which checks the workflow's rule and records the audit event. A hazard out
of the caller's scope is answered 404 like a missing one, before the request body is even read.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from anjian.accounts.models import User
from anjian.core.api import HasAction, StandardPagination, bind, scoped_ref
from anjian.core.audit import events_for
from anjian.core.errors import DomainError
from anjian.core.idempotency import idempotent
from anjian.core.images import photo_response
from anjian.core.parsers import JSONParser
from anjian.core.permissions import Action, require
from anjian.core.schema import workflow_action_schema
from anjian.core.scoping import get_visible_or_404
from anjian.hazards import library, selectors, services, workflow
from anjian.hazards.api import serializers as s
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Criterion, Hazard, HazardCategory, HazardPhoto
from anjian.hazards.pagination import LedgerPagination
from anjian.orgs.models import Department, Organization

TAGS = ["hazards"]
# what a hazard's refusals mean (their body, and the other refusals, are every operation's: core.schema)
REFUSALS = {
    403: OpenApiResponse(description="调用者的角色或与该隐患的关系不允许此操作"),
    404: OpenApiResponse(description="隐患不存在或不在调用者的管辖范围内"),
    409: OpenApiResponse(description="隐患当前状态不允许此操作（或已被他人先行处理）"),
}
PHOTO_SIZES = ("image", "thumbnail")  # the HazardPhoto fields served by photo_file
ACTION_RESPONSES = {200: s.HazardDetailSerializer, **REFUSALS}


def _category(code: str) -> HazardCategory:
    category = HazardCategory.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise DomainError(_("没有编码为“%(code)s”的隐患类别（或已停用）。") % {"code": code}, field="category")
    return category


def _criterion(pk: int | None) -> Criterion | None:
    if pk is None:
        return None
    criterion = Criterion.objects.filter(pk=pk, is_active=True).select_related("criterion_set").first()
    if criterion is None:
        raise DomainError(_("判定依据（id %(pk)s）不存在或已停用。") % {"pk": pk}, field="criterion")
    return criterion


def _department(pk: int | None, organization: Organization, user):
    return scoped_ref(
        Department, user, pk, field="department", message=_("科室须属于该机构。"), organization=organization
    )


def _responsible(pk: int | None, hazard: Hazard, user):
    return scoped_ref(
        User,
        user,
        pk,
        field="responsible",
        message=_("整改责任人须为本单位人员。"),
        organization_id=hazard.organization_id,
    )


def _action_schema(name: str, request, note: str = "") -> Any:
    return workflow_action_schema(
        workflow.RULES[name],
        HazardStatus,
        thing="隐患",
        answer="更新后的隐患（含 allowed_actions）",
        request=request,
        responses=ACTION_RESPONSES,
        tags=TAGS,
        note=note,
    )


@extend_schema_view(
    list=extend_schema(
        summary="隐患台账",
        description="调用者可见的隐患，按查询参数筛选、分页。每行带 is_overdue、is_due_soon（按今天的日期计算）。",
        parameters=[s.HazardFilterSerializer],
        responses={200: s.HazardListSerializer(many=True)},
        tags=TAGS,
    ),
    create=extend_schema(
        summary="登记隐患",
        description=(
            "multipart：隐患现场照片 photos 必传（仅举报、上级交办且填写来源编号的可不传，也可用 JSON）；"
            "可带整改后照片 after_photos；"
            "fixed_on_spot=true 且带整改后照片的一般隐患为即查即改，直接进入待验收。"
            "organization、department 不存在或不在调用者管辖范围内时答 400（字段错误）。"
        ),
        request={
            "application/json": s.HazardReportSerializer,
            "multipart/form-data": s.HazardReportMultipartSerializer,
        },
        responses={
            201: s.HazardDetailSerializer,
        },
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="隐患详情",
        description="含整改方案、照片、延期申请、挂牌督办信息，以及调用者现在可执行的操作 allowed_actions。",
        responses={200: s.HazardDetailSerializer, 404: REFUSALS[404]},
        tags=TAGS,
    ),
)
class HazardViewSet(viewsets.GenericViewSet):
    """The hazard ledger and the closed loop (隐患台账 · 闭环销号)."""

    reads_from_replica = {"list"}  # core.db: the ledger list may read a replica; a hazard's page never
    permission_classes = [HasAction]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_value_converter = "int"
    serializer_class = s.HazardDetailSerializer
    # For the schema's path parameter only: every read goes through hazards.selectors.
    queryset = Hazard.objects.none()

    @property
    def required_action(self) -> Action:
        return Action.HAZARD_REPORT if self.action == "create" else Action.HAZARD_VIEW

    @property
    def pagination_class(self):
        # the ledger's count is bounded for a city-wide scope (count_exact); other lists as usual
        return LedgerPagination if self.action == "list" else StandardPagination

    # --- reads -----------------------------------------------------------------------------------
    def _detail(self, pk) -> dict:
        hazard = selectors.hazard_get(user=self.request.user, pk=pk)
        return s.HazardDetailSerializer(hazard, context=self.get_serializer_context()).data

    def list(self, request):
        f = bind(s.HazardFilterSerializer, {k: v for k, v in request.query_params.items() if v != ""}, query=True)
        filters = selectors.HazardFilters(**{k: v for k, v in f.items()})
        self.paginator.cap = selectors.ledger_count_cap(user=request.user, filters=filters)
        page = self.paginate_queryset(selectors.hazard_ledger(user=request.user, filters=filters))
        data = s.HazardListSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def retrieve(self, request, pk=None):
        return Response(self._detail(pk))

    @extend_schema(
        summary="隐患的操作记录",
        description="谁在何时做了什么、改了哪些字段（变更前、变更后），新的在前。",
        responses={200: s.AuditEventSerializer(many=True), 404: REFUSALS[404]},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        hazard = get_visible_or_404(Hazard, request.user, pk=pk)
        require(request.user, Action.AUDIT_VIEW)  # names who did what: not for every reader of the hazard
        page = self.paginate_queryset(events_for(hazard, request.user))
        return self.get_paginated_response(s.AuditEventSerializer(page, many=True).data)

    @extend_schema(
        summary="照片文件",
        description="照片（image）或缩略图（thumbnail），JPEG。",
        parameters=[OpenApiParameter("size", OpenApiTypes.STR, OpenApiParameter.PATH, enum=[*PHOTO_SIZES])],
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY, 404: REFUSALS[404]},
        tags=TAGS,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="photos/<int:photo_id>/<slug:size>",
        url_name="photo-file",
    )
    def photo_file(self, request, pk=None, photo_id=None, size=None):
        if size not in PHOTO_SIZES:
            raise Http404
        photo = get_visible_or_404(HazardPhoto.objects.filter(hazard_id=pk), request.user, pk=photo_id)
        return photo_response(getattr(photo, size))

    # --- report and photos -----------------------------------------------------------------------
    @idempotent
    def create(self, request):
        d = bind(s.HazardReportMultipartSerializer, request.data)
        user = request.user
        if d.get("organization") is not None:
            organization = scoped_ref(
                Organization,
                user,
                d["organization"],
                field="organization",
                message=_("所选机构不存在或不在您的管辖范围内。"),
            )
        elif user.organization is not None:
            organization = user.organization
        else:
            raise DomainError(_("请填写所属机构 organization。"), field="organization")
        data = {
            k: d[k]
            for k in (
                "location",
                "title",
                "description",
                "level",
                "source",
                "source_reference",
                "found_at",
                "found_by_name",
            )
            if k in d
        }
        if "fixed_on_spot" in d:
            data["fixed_on_spot"] = d["fixed_on_spot"]
        data["category"] = _category(d["category"])
        if d.get("department") is not None:
            data["department"] = _department(d["department"], organization, user)
        if d.get("criterion") is not None:
            data["criterion"] = _criterion(d["criterion"])
        hazard = services.hazard_report(
            by=user,
            organization=organization,
            data=data,
            photos=d.get("photos") or [],
            after_photos=d.get("after_photos") or [],
            note=d.get("note", ""),
            photo_required=True,
        )
        return Response(self._detail(hazard.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="上传隐患照片",
        description=(
            "multipart：image（照片文件）与 phase（before 整改前 / after 整改后）。"
            "文件经解码验证，不是有效图片时答 400 且不保存。"
        ),
        request={"multipart/form-data": s.PhotoUploadSerializer},
        responses={201: s.HazardPhotoSerializer, **REFUSALS},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photos(self, request, pk=None):
        hazard = self._hazard(pk)
        d = bind(s.PhotoUploadSerializer, request.data)
        photo = services.hazard_add_photo(hazard=hazard, by=request.user, phase=d["phase"], image=d.get("image"))
        return Response(
            s.HazardPhotoSerializer(photo, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    # --- the closed loop: one action, one service call ------------------------------------------
    def _hazard(self, pk) -> Hazard:
        """The hazard an action is aimed at; out of scope is 404 before anything else is looked at."""
        return get_visible_or_404(Hazard.objects.select_related("organization"), self.request.user, pk=pk)

    def _act(self, pk, serializer_class, call) -> Response:
        hazard = self._hazard(pk)
        data = bind(serializer_class, self.request.data)
        call(hazard, self.request.user, data)
        return Response(self._detail(hazard.pk))

    @_action_schema(
        "confirm",
        s.ConfirmSerializer,
        "一般隐患须填整改责任人、措施、期限；重大事故隐患须含六项内容，缺项时答 400 并列出所缺内容。",
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        def call(hazard, by, d):
            plan = {k: v for k, v in d.items() if k in services.PLAN_FIELDS}
            if "responsible" in plan:
                plan["responsible"] = _responsible(plan["responsible"], hazard, request.user)
            return services.hazard_confirm(hazard=hazard, by=by, plan=plan, note=d.get("note", ""))

        return self._act(pk, s.ConfirmSerializer, call)

    @_action_schema("dismiss", s.ReasonSerializer, "须填写理由。")
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        return self._act(
            pk, s.ReasonSerializer, lambda h, by, d: services.hazard_dismiss(hazard=h, by=by, reason=d["reason"])
        )

    @_action_schema(
        "submit",
        {"application/json": s.SubmitSerializer, "multipart/form-data": s.SubmitMultipartSerializer},
        "隐患所属机构要求时（默认要求）须至少有一张整改后照片：先通过 photos 接口上传，"
        "或以 multipart 的 after_photos 随本请求上传。",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(
            pk,
            s.SubmitMultipartSerializer,
            lambda h, by, d: services.hazard_submit(
                hazard=h, by=by, rectification_note=d["rectification_note"], after_photos=d.get("after_photos") or []
            ),
        )

    @_action_schema(
        "change-plan",
        s.ChangePlanSerializer,
        "只变更请求中给出的部分（如整改责任人 responsible、措施 measures），须填写变更理由 reason；"
        "操作记录保存变更前后的内容。整改期限不在此变更（须申请延期）；重大事故隐患变更后仍须六项内容齐全。",
    )
    @action(detail=True, methods=["post"], url_path="change-plan")
    def change_plan(self, request, pk=None):
        def call(hazard, by, d):
            plan = {k: v for k, v in d.items() if k in services.PLAN_FIELDS}
            if "responsible" in plan:
                plan["responsible"] = _responsible(plan["responsible"], hazard, request.user)
            return services.hazard_change_plan(hazard=hazard, by=by, plan=plan, reason=d.get("reason", ""))

        return self._act(pk, s.ChangePlanSerializer, call)

    @_action_schema("endorse", s.NoteSerializer, "仅重大事故隐患：主要负责人审核后报监管部门审核销号。")
    @action(detail=True, methods=["post"])
    def endorse(self, request, pk=None):
        return self._act(
            pk, s.NoteSerializer, lambda h, by, d: services.hazard_endorse(hazard=h, by=by, note=d["note"])
        )

    @_action_schema(
        "accept",
        s.NoteSerializer,
        "重大事故隐患须先经主要负责人审核（endorse）；验收人不能是整改提交人（409）。",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(pk, s.NoteSerializer, lambda h, by, d: services.hazard_accept(hazard=h, by=by, note=d["note"]))

    @_action_schema("reject", s.ReasonSerializer, "须填写理由；验收人不能是整改提交人。")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(
            pk, s.ReasonSerializer, lambda h, by, d: services.hazard_reject(hazard=h, by=by, reason=d["reason"])
        )

    @_action_schema("postpone", s.PostponeSerializer, "原定整改期限保留；批准后整改期限改为申请的日期。")
    @action(detail=True, methods=["post"])
    def postpone(self, request, pk=None):
        return self._act(
            pk,
            s.PostponeSerializer,
            lambda h, by, d: services.hazard_postpone(
                hazard=h, by=by, new_deadline=d["new_deadline"], reason=d["reason"]
            ),
        )

    @_action_schema("approve-postponement", s.NoteSerializer, "整改期限改为申请的日期。")
    @action(detail=True, methods=["post"], url_path="approve-postponement")
    def approve_postponement(self, request, pk=None):
        return self._act(
            pk,
            s.NoteSerializer,
            lambda h, by, d: services.hazard_decide_postponement(hazard=h, by=by, approve=True, note=d["note"]),
        )

    @_action_schema("refuse-postponement", s.RefuseNoteSerializer, "须填写理由。")
    @action(detail=True, methods=["post"], url_path="refuse-postponement")
    def refuse_postponement(self, request, pk=None):
        return self._act(
            pk,
            s.RefuseNoteSerializer,
            lambda h, by, d: services.hazard_decide_postponement(hazard=h, by=by, approve=False, note=d["note"]),
        )

    @_action_schema(
        "reclassify",
        s.ReclassifySerializer,
        "调整为重大事故隐患须选判定依据；整改方案不满足六项内容时隐患回到待确认，须补全方案。",
    )
    @action(detail=True, methods=["post"])
    def reclassify(self, request, pk=None):
        return self._act(
            pk,
            s.ReclassifySerializer,
            lambda h, by, d: services.hazard_reclassify(
                hazard=h, by=by, level=d["level"], reason=d["reason"], criterion=_criterion(d.get("criterion"))
            ),
        )

    @_action_schema("supervise", s.SuperviseSerializer, "仅未销号的重大事故隐患；督办期限不能早于今天。")
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        return self._act(
            pk,
            s.SuperviseSerializer,
            lambda h, by, d: services.hazard_supervise(
                hazard=h, by=by, level=d["level"], deadline=d["deadline"], notice_number=d["notice_number"]
            ),
        )

    @_action_schema("unsupervise", s.NoteSerializer)
    @action(detail=True, methods=["post"])
    def unsupervise(self, request, pk=None):
        return self._act(
            pk, s.NoteSerializer, lambda h, by, d: services.hazard_unsupervise(hazard=h, by=by, note=d["note"])
        )


@extend_schema_view(
    list=extend_schema(tags=["hazards"], summary="隐患类别（登记隐患时 category 取其 code）"),
)
class HazardCategoryViewSet(viewsets.mixins.ListModelMixin, viewsets.GenericViewSet):
    """The active hazard categories: the codes that ``category`` takes."""

    serializer_class = s.HazardCategorySerializer
    permission_classes = [HasAction]
    required_action = Action.HAZARD_VIEW
    pagination_class = None

    def get_queryset(self):
        return library.category_list(active=True).order_by("sort_order", "pk")


@extend_schema_view(
    list=extend_schema(tags=["hazards"], summary="现行重大事故隐患判定条目（criterion 取其 id）"),
)
class CriterionViewSet(viewsets.mixins.ListModelMixin, viewsets.GenericViewSet):
    """The items a major hazard may cite now: active items of the active standards."""

    serializer_class = s.CriterionSerializer
    permission_classes = [HasAction]
    required_action = Action.HAZARD_VIEW
    pagination_class = None

    def get_queryset(self):
        return library.criterion_choices().select_related("category").order_by("criterion_set_id", "pk")
