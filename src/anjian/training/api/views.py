"""The training API: trainings (POST with attendees; void), a person's training file, certificates
(POST; ``?expires_before=``), drills (POST with findings, answering the hazards raised; planned
ahead, then recorded or cancelled), emergency plans and exam papers (void). Thin: selectors read,
services write; out of scope is 404 like missing."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.accounts.models import User
from anjian.core.api import HasAction, ReasonInSerializer, bind, scoped_ref, scoped_refs
from anjian.core.errors import DomainError
from anjian.core.permissions import Action, can
from anjian.core.schema import workflow_action_schema
from anjian.core.scoping import get_visible_or_404
from anjian.training import selectors, services, workflow
from anjian.training.api import serializers as s
from anjian.training.choices import DrillStatus
from anjian.training.models import (
    Attempt,
    Certificate,
    CertificateKind,
    Drill,
    DrillFinding,
    EmergencyPlan,
    Paper,
    TrainingCategory,
    TrainingSession,
)
from anjian.training.views.training import visible_person

TAGS = ["training"]
VOID_REFUSALS = {409: OpenApiResponse(description="已作废")}


def _people(user, ids, field: str) -> list:
    return scoped_refs(User, user, ids, field=field, message=_("所选人员不存在或不在您的管辖范围内。"))


@extend_schema_view(
    list=extend_schema(
        summary="培训记录",
        description="调用者可见的培训，新的在前，含参训人员 id；默认只列有效的培训（status=void|all 列出已作废的）。",
        parameters=[s.TrainingQuerySerializer],
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="培训详情", description="含已作废的培训（is_active 为 false，void_reason 为原因）。", tags=TAGS
    ),
)
class TrainingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.TRAINING_VIEW, "POST": Action.TRAINING_MANAGE}
    required_action = Action.TRAINING_VIEW
    lookup_value_converter = "int"
    serializer_class = s.TrainingSerializer
    queryset = TrainingSession.objects.none()

    def get_queryset(self):
        active = None
        q = {}
        if self.action == "list":
            q = bind(s.TrainingQuerySerializer, self.request.query_params, query=True)
            active = {"valid": True, "void": False}.get(q.get("status", "valid"))
        return selectors.session_list(
            user=self.request.user, active=active, held_from=q.get("held_from"), held_to=q.get("held_to")
        ).prefetch_related("attendances")

    @extend_schema(
        summary="登记培训",
        description="登记本单位的一次培训：title、held_on、hours，attendees 为参训人员 id（本单位在职人员）。",
        request=s.TrainingInSerializer,
        responses={201: s.TrainingSerializer},
        tags=TAGS,
    )
    def create(self, request):
        d = dict(bind(s.TrainingInSerializer, request.data))
        attendees = _people(request.user, d.pop("attendees"), "attendees")
        category = d.pop("category", None)
        if category is not None:
            d["category"] = TrainingCategory.objects.filter(pk=category, is_active=True).first()
            if d["category"] is None:
                raise DomainError(_("未找到该培训类别。"), field="category")
        session = services.training_session_create(by=request.user, data=d, attendees=attendees)
        return Response(
            s.TrainingSerializer(self.get_queryset().get(pk=session.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="作废培训",
        description=(
            "作废本单位误登记的培训（reason 为原因）：记录保留并标记为已作废，其学时不再计入个人档案、概况和台账，"
            "也不能再签到。已作废的答 409。"
        ),
        request=ReasonInSerializer,
        responses={200: s.TrainingSerializer, **VOID_REFUSALS},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        session = get_visible_or_404(TrainingSession, request.user, pk=pk)
        d = bind(ReasonInSerializer, request.data)
        services.training_session_void(by=request.user, session=session, reason=d["reason"])
        return Response(s.TrainingSerializer(self.get_queryset().get(pk=session.pk)).data)


class PersonTrainingView(APIView):
    permission_classes = [HasAction]
    required_action = Action.TRAINING_VIEW

    @extend_schema(
        summary="个人培训档案",
        description="一名人员的年度学时和参加的培训（本人，或可查看本单位/辖区人员记录的角色）。",
        responses={200: s.PersonTrainingSerializer},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        file = selectors.person_file(visible_person(request.user, pk), viewer=request.user)
        person = file["person"]
        data = {
            "id": person.pk,
            "name": person.name,
            "organization": person.organization_id,
            "hours_by_year": [{"year": y, "hours": h} for y, h in file["hours_by_year"]],
            "sessions": [
                {
                    "id": a.session.pk,
                    "title": a.session.title,
                    "held_on": a.session.held_on,
                    "hours": a.session.hours,
                    "category": a.session.category.name if a.session.category_id else None,
                    "method": a.method,
                }
                for a in file["attendances"]
            ],
        }
        return Response(s.PersonTrainingSerializer(data).data)


@extend_schema_view(
    list=extend_schema(
        summary="证书",
        description="调用者可见的有效证书，按有效期排序；expires_before=YYYY-MM-DD 只列出此前到期的。",
        parameters=[s.CertificateQuerySerializer],
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="证书详情", tags=TAGS),
)
class CertificateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.CERTIFICATE_VIEW, "POST": Action.CERTIFICATE_MANAGE}
    required_action = Action.CERTIFICATE_VIEW
    lookup_value_converter = "int"
    serializer_class = s.CertificateSerializer
    queryset = Certificate.objects.none()

    def get_queryset(self):
        if self.action == "list":
            q = bind(s.CertificateQuerySerializer, self.request.query_params, query=True)
            return selectors.certificate_list(user=self.request.user, expires_before=q.get("expires_before"))
        return selectors.certificate_list(user=self.request.user, active=None)

    @extend_schema(
        summary="登记证书",
        description="holder 为持证人 id（本单位人员），kind 为证书类别 id；有效期至不能早于发证日期。",
        request=s.CertificateInSerializer,
        responses={201: s.CertificateSerializer},
        tags=TAGS,
    )
    def create(self, request):
        d = dict(bind(s.CertificateInSerializer, request.data))
        d["holder"] = scoped_ref(User, request.user, d["holder"], field="holder")
        d["kind"] = CertificateKind.objects.filter(pk=d["kind"]).first()
        cert = services.certificate_add(by=request.user, data=d)
        return Response(s.CertificateSerializer(cert).data, status=status.HTTP_201_CREATED)


def _drill_action_schema(name: str, request, note: str = ""):
    return workflow_action_schema(
        workflow.RULES[name],
        DrillStatus,
        thing="演练",
        answer="更新后的演练（含 allowed_actions 和登记的 hazards）",
        request=request,
        responses={200: s.DrillSerializer},
        tags=TAGS,
        note=note,
    )


@extend_schema_view(
    list=extend_schema(
        summary="应急演练",
        description="调用者可见的演练（计划中、已开展、已取消，status 可筛选），含演练发现并登记的隐患。",
        parameters=[s.DrillQuerySerializer],
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="演练详情", tags=TAGS),
)
class DrillViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.TRAINING_VIEW, "POST": Action.TRAINING_MANAGE}
    required_action = Action.TRAINING_VIEW
    lookup_value_converter = "int"
    serializer_class = s.DrillSerializer
    queryset = Drill.objects.none()

    def get_queryset(self):
        qs = Drill.objects.visible_to(self.request.user)
        if self.action == "list":
            q = bind(s.DrillQuerySerializer, self.request.query_params, query=True)
            if q.get("status"):
                qs = qs.filter(status=q["status"])
        return (
            qs.select_related("organization")
            .prefetch_related(
                Prefetch("findings", queryset=DrillFinding.objects.select_related("hazard")),
                "participants",
                "planned_participants",
            )
            .order_by("-held_on", "-pk")
        )

    def _answer(self, drill, code=status.HTTP_200_OK) -> Response:
        return Response(
            s.DrillSerializer(self.get_queryset().get(pk=drill.pk), context=self.get_serializer_context()).data,
            status=code,
        )

    def _plan_ref(self, d: dict) -> None:
        plan = d.pop("emergency_plan", None)
        if plan is not None:
            d["emergency_plan"] = scoped_ref(EmergencyPlan, self.request.user, plan, field="emergency_plan")

    @extend_schema(
        summary="登记应急演练",
        description=(
            "登记本单位已开展的演练；findings 中每一项（description、level：general/major）登记为一条隐患，"
            "来源为“应急演练”，按隐患闭环整改销号；返回的 hazards 列出登记的隐患。"
            "尚未开展的演练请用 POST /api/v1/drills/plan/ 计划。"
        ),
        request=s.DrillInSerializer,
        responses={201: s.DrillSerializer},
        tags=TAGS,
    )
    def create(self, request):
        d = dict(bind(s.DrillInSerializer, request.data))
        participants = _people(request.user, d.pop("participants"), "participants")
        findings = [dict(f) for f in d.pop("findings")]
        self._plan_ref(d)
        drill = services.drill_record(by=request.user, data=d, participants=participants, findings=findings)
        return self._answer(drill, status.HTTP_201_CREATED)

    @extend_schema(
        summary="计划应急演练",
        description=(
            "计划本单位的一次演练：title、held_on（计划日期，不早于今天）、emergency_plan（演练的预案）、scenario、"
            "participants（计划参演人员 id）。状态为“计划中”，演练后 POST record 登记演练情况，或 POST cancel 取消。"
        ),
        request=s.DrillPlanInSerializer,
        responses={201: s.DrillSerializer},
        tags=TAGS,
    )
    @action(detail=False, methods=["post"])
    def plan(self, request):
        d = dict(bind(s.DrillPlanInSerializer, request.data))
        participants = _people(request.user, d.pop("participants"), "participants")
        self._plan_ref(d)
        drill = services.drill_plan(by=request.user, data=d, participants=participants)
        return self._answer(drill, status.HTTP_201_CREATED)

    @_drill_action_schema(
        "record",
        s.DrillRecordInSerializer,
        "held_on 为实际演练日期（不晚于今天）；participants 与扫码签到的人员合并；findings 每一项登记为一条隐患。",
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        drill = get_visible_or_404(Drill, request.user, pk=pk)
        d = dict(bind(s.DrillRecordInSerializer, request.data))
        participants = _people(request.user, d.pop("participants"), "participants")
        findings = [dict(f) for f in d.pop("findings")]
        services.drill_complete(by=request.user, drill=drill, data=d, participants=participants, findings=findings)
        return self._answer(drill)

    @_drill_action_schema("cancel", ReasonInSerializer, "reason 为取消原因；计划保留并标记为已取消。")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        drill = get_visible_or_404(Drill, request.user, pk=pk)
        d = bind(ReasonInSerializer, request.data)
        services.drill_cancel(by=request.user, drill=drill, reason=d["reason"])
        return self._answer(drill)


@extend_schema_view(
    list=extend_schema(
        summary="应急预案", description="调用者可见的应急预案（各版本），现行版本标记 is_current。", tags=TAGS
    ),
    retrieve=extend_schema(summary="应急预案详情", tags=TAGS),
)
class EmergencyPlanViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_action = Action.TRAINING_VIEW
    lookup_value_converter = "int"
    serializer_class = s.EmergencyPlanSerializer
    queryset = EmergencyPlan.objects.none()

    def get_queryset(self):
        return EmergencyPlan.objects.visible_to(self.request.user).select_related("organization").order_by("pk")


@extend_schema_view(
    list=extend_schema(
        summary="试卷",
        description="调用者可见的试卷：题数、时长、及格分、最多考试次数；已作废的 is_active 为 false。",
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="试卷详情", tags=TAGS),
)
class PaperViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.TRAINING_VIEW, "POST": Action.TRAINING_MANAGE}
    required_action = Action.TRAINING_VIEW
    lookup_value_converter = "int"
    serializer_class = s.PaperSerializer
    queryset = Paper.objects.none()

    def get_queryset(self):
        return Paper.objects.visible_to(self.request.user).annotate(question_count=Count("questions")).order_by("-pk")

    @extend_schema(
        summary="作废试卷",
        description=(
            "作废本单位误组的试卷（reason 为原因）：试卷和答卷保留，试卷标记为已作废，不能再开始或提交，"
            "成绩不计入培训档案、随堂测验和两单两卡测验。已作废的答 409。"
        ),
        request=ReasonInSerializer,
        responses={200: s.PaperSerializer, **VOID_REFUSALS},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        paper = get_visible_or_404(Paper, request.user, pk=pk)
        d = bind(ReasonInSerializer, request.data)
        services.paper_void(by=request.user, paper=paper, reason=d["reason"])
        return Response(s.PaperSerializer(self.get_queryset().get(pk=paper.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="考试记录",
        description=(
            "考试成绩：可查看本单位（或辖区）持证和培训情况的角色看到范围内的全部记录，其他人员只看到本人的。"
            "paper、user 筛选（不在范围内答 404），passed=true|false；counts 为 false 的试卷已作废、成绩不计入。"
        ),
        parameters=[s.AttemptQuerySerializer],
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="考试记录详情", tags=TAGS),
)
class AttemptViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_action = Action.TRAINING_VIEW
    lookup_value_converter = "int"
    serializer_class = s.AttemptSerializer
    queryset = Attempt.objects.none()

    def get_queryset(self):
        user = self.request.user
        qs = Attempt.objects.visible_to(user).select_related("paper", "user")
        if not can(user, Action.CERTIFICATE_VIEW):
            qs = qs.filter(user=user)
        if self.action == "list":
            q = bind(s.AttemptQuerySerializer, self.request.query_params, query=True)
            if q.get("paper"):
                qs = qs.filter(paper=get_visible_or_404(Paper, user, pk=q["paper"]))
            if q.get("user"):
                qs = qs.filter(user=visible_person(user, q["user"]))
            if q.get("passed") is not None:
                qs = qs.filter(passed=q["passed"], submitted_at__isnull=False)
        return qs.order_by("-started_at", "-pk")
