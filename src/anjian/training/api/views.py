"""The training API: trainings (POST with attendees), a person's training file, certificates
(POST; ``?expires_before=``), drills (POST with findings, answering the hazards raised), emergency
plans and exam papers. Thin: selectors read, services write; out of scope is 404 like missing."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.accounts.models import User
from anjian.core.api import HasAction, bind, scoped_ref, scoped_refs
from anjian.core.errors import DomainError
from anjian.core.permissions import Action
from anjian.training import selectors, services
from anjian.training.api import serializers as s
from anjian.training.models import (
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


def _people(user, ids, field: str) -> list:
    return scoped_refs(User, user, ids, field=field, message=_("所选人员不存在或不在您的管辖范围内。"))


@extend_schema_view(
    list=extend_schema(summary="培训记录", description="调用者可见的培训，新的在前，含参训人员 id。", tags=TAGS),
    retrieve=extend_schema(summary="培训详情", tags=TAGS),
)
class TrainingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_actions = {"GET": Action.TRAINING_VIEW, "POST": Action.TRAINING_MANAGE}
    required_action = Action.TRAINING_VIEW
    lookup_value_converter = "int"
    serializer_class = s.TrainingSerializer
    queryset = TrainingSession.objects.none()

    def get_queryset(self):
        return (
            TrainingSession.objects.visible_to(self.request.user)
            .filter(is_active=True)
            .select_related("organization", "category")
            .prefetch_related("attendances")
            .order_by("-held_on", "-pk")
        )

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


@extend_schema_view(
    list=extend_schema(summary="应急演练", description="调用者可见的演练，含演练发现并登记的隐患。", tags=TAGS),
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
        return (
            Drill.objects.visible_to(self.request.user)
            .select_related("organization")
            .prefetch_related(Prefetch("findings", queryset=DrillFinding.objects.select_related("hazard")))
            .order_by("-held_on", "-pk")
        )

    @extend_schema(
        summary="登记应急演练",
        description=(
            "登记本单位已开展的演练；findings 中每一项（description、level：general/major）登记为一条隐患，"
            "来源为“应急演练”，按隐患闭环整改销号；返回的 hazards 列出登记的隐患。"
        ),
        request=s.DrillInSerializer,
        responses={201: s.DrillSerializer},
        tags=TAGS,
    )
    def create(self, request):
        d = dict(bind(s.DrillInSerializer, request.data))
        participants = _people(request.user, d.pop("participants"), "participants")
        findings = [dict(f) for f in d.pop("findings")]
        plan = d.pop("emergency_plan", None)
        if plan is not None:
            d["emergency_plan"] = scoped_ref(EmergencyPlan, request.user, plan, field="emergency_plan")
        drill = services.drill_record(by=request.user, data=d, participants=participants, findings=findings)
        return Response(s.DrillSerializer(self.get_queryset().get(pk=drill.pk)).data, status=status.HTTP_201_CREATED)


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
    list=extend_schema(summary="试卷", description="调用者可见的试卷：题数、时长、及格分、最多考试次数。", tags=TAGS),
    retrieve=extend_schema(summary="试卷详情", tags=TAGS),
)
class PaperViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    required_action = Action.TRAINING_VIEW
    lookup_value_converter = "int"
    serializer_class = s.PaperSerializer
    queryset = Paper.objects.none()

    def get_queryset(self):
        return Paper.objects.visible_to(self.request.user).annotate(question_count=Count("questions")).order_by("-pk")
