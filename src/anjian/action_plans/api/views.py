"""The action-plans API: plans and their tasks, the import (preview, then confirm), assignments with
progress and review, periodic report definitions and submissions. Thin: selectors read, services
write; out of scope is 404 like missing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from anjian.action_plans import due, figures, selectors, services
from anjian.action_plans.api import serializers as s
from anjian.action_plans.models import ProgressReport, ReportSubmission, Task
from anjian.core.api import HasAction, StandardPagination, bind
from anjian.core.errors import DomainError
from anjian.core.idempotency import idempotent
from anjian.core.parsers import JSONParser
from anjian.core.permissions import Action, require

TAGS = ["action-plans"]
PREVIEW = inline_serializer(
    "PlanImportPreview",
    {
        "id": serializers.IntegerField(),
        "title": serializers.CharField(help_text="表格上方或文档中读到的标题"),
        "document_number": serializers.CharField(help_text="文档中读到的文号，如 普安委〔2024〕4号"),
        "columns": serializers.ListField(
            help_text="每一列的表头及其含义（index、header、field、label）；确认时可用 columns 更正"
        ),
        "tasks": serializers.ListField(help_text="任务；分项任务的 parent 为所属任务的序号"),
        "problems": serializers.ListField(
            help_text="须核对的问题（无法识别的时限、未对应的责任单位等，含 row、column）；"
            "field 为 ignored 的是未导入的文字"
        ),
        "warnings": serializers.ListField(
            help_text="不阻止导入的提示，如 past_deadlines：完成时限已过的任务（message、tasks）"
        ),
    },
)


@extend_schema(tags=TAGS)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    lookup_value_converter = "int"
    required_action = Action.PLAN_VIEW
    serializer_class = s.PlanSerializer
    pagination_class = StandardPagination
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user, q=self.request.query_params.get("q", "")[:100])

    def get_object(self):
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(responses=s.TaskSerializer(many=True))
    @action(detail=True, methods=["get"])
    def tasks(self, request, pk=None):
        plan = self.get_object()
        qs = Task.objects.visible_to(request.user).filter(plan=plan).select_related("action")
        qs = qs.prefetch_related("unit_groups").order_by("sort_order", "pk")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.TaskSerializer(page, many=True).data)

    @extend_schema(request={"multipart/form-data": s.ImportInSerializer}, responses={201: PREVIEW})
    @action(detail=False, methods=["post"], url_path="import", required_action=Action.PLAN_MANAGE)
    def import_preview(self, request):
        """Read a task table (xlsx, or the task table of a docx); nothing is stored as a plan until
        ``confirm``."""
        f = request.FILES.get("file")
        if f is None:
            raise DomainError("请上传 xlsx 或 docx 文件（字段名 file）。", field="file")
        draft = services.plan_import_preview(by=request.user, file=f, name=f.name)
        parsed = draft.parsed
        past = selectors.draft_past_deadlines(draft)
        warnings = [past.as_json()] if past else []
        return Response(
            {
                "id": draft.pk,
                "title": parsed.get("title", ""),
                "document_number": parsed.get("document_number", ""),
                "columns": parsed.get("columns", []),
                "tasks": parsed["tasks"],
                "problems": parsed["problems"],
                "warnings": warnings,
            },
            status=201,
        )

    @extend_schema(
        request=s.ImportConfirmInSerializer,
        responses={201: inline_serializer("PlanImportConfirmed", {"plan": serializers.IntegerField()})},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import/<int:draft_id>/confirm",
        required_action=Action.PLAN_MANAGE,
    )
    def import_confirm(self, request, draft_id=None):
        draft = selectors.draft_get(user=request.user, pk=int(draft_id))
        d = bind(s.ImportConfirmInSerializer, request.data)
        with transaction.atomic():  # a confirm refused after the columns were read again leaves the draft as it was
            if d["columns"]:
                draft = services.plan_import_remap(by=request.user, draft=draft, roles=d["columns"])
            plan = services.plan_import_confirm(
                by=request.user,
                draft=draft,
                title=d["title"],
                document_number=d["document_number"],
                fixes=d["fixes"],
                unit_fixes=d["unit_fixes"],
            )
        return Response({"plan": plan.pk}, status=201)

    def get_permissions(self):
        action_ = getattr(self, self.action, None) if self.action else None
        required = getattr(action_, "kwargs", {}).get("required_action")
        if required:
            self.required_action = required
        return super().get_permissions()


@extend_schema(tags=TAGS)
class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    lookup_value_converter = "int"
    required_action = Action.PLAN_VIEW
    serializer_class = s.TaskSerializer
    pagination_class = StandardPagination

    def get_queryset(self):
        qs = Task.objects.visible_to(self.request.user).select_related("action").prefetch_related("unit_groups")
        return qs.order_by("plan_id", "sort_order", "pk")


@extend_schema(tags=TAGS)
class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    lookup_value_converter = "int"
    required_action = Action.PLAN_VIEW
    serializer_class = s.AssignmentSerializer
    pagination_class = StandardPagination

    def get_queryset(self):
        state = self.request.query_params.get("state", "")
        return selectors.assignment_list(user=self.request.user, state=state)

    def get_object(self):
        return selectors.assignment_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=s.ProgressInSerializer, responses={201: s.ProgressReportSerializer})
    @idempotent
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        assignment = self.get_object()
        d = bind(s.ProgressInSerializer, request.data)
        report = services.progress_report(by=request.user, assignment=assignment, **d)
        return Response(s.ProgressReportSerializer(report).data, status=201)

    @extend_schema(request=s.ReviewInSerializer, responses={200: s.AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        assignment = self.get_object()
        d = bind(s.ReviewInSerializer, request.data)
        assignment = services.assignment_review(
            by=request.user, assignment=assignment, accept=d["accept"], comment=d["comment"]
        )
        return Response(s.AssignmentSerializer(assignment).data)


@extend_schema(tags=TAGS)
class ProgressReportViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    lookup_value_converter = "int"
    required_action = Action.PLAN_VIEW
    serializer_class = s.ProgressReportSerializer
    pagination_class = StandardPagination

    def get_queryset(self):
        qs = ProgressReport.objects.visible_to(self.request.user).prefetch_related("attachments")
        assignment = self.request.query_params.get("assignment")
        if assignment and assignment.isdigit():
            qs = qs.filter(assignment_id=int(assignment))
        return qs.order_by("-reported_on", "-pk")


@extend_schema(tags=TAGS)
class ReportDefinitionViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    lookup_value_converter = "int"
    required_action = Action.REPORT_VIEW
    serializer_class = s.ReportDefinitionSerializer
    pagination_class = StandardPagination

    def get_queryset(self):
        return selectors.report_definition_list(user=self.request.user)

    def get_object(self):
        return selectors.report_definition_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="所属期的第一天，如 2026-11-01；默认为当期")],
        responses={200: s.PrefillSerializer},
    )
    @action(detail=True, methods=["get"])
    def prefill(self, request, pk=None):
        """The figures the platform counts for the caller's unit and the period (what the form
        starts with); a submitted figure that differs needs a reason."""
        require(request.user, Action.REPORT_SUBMIT)
        definition = self.get_object()
        try:
            period = dt.date.fromisoformat(request.query_params.get("period") or "")
        except ValueError:
            period = due.current_period(definition, timezone.localdate())
        period = due.period_start(period, definition.frequency)
        counted = figures.counted_for(
            definition, user=request.user, organization=request.user.organization, period=period
        )
        names = [f["name"] for f in figures.institution_fields(definition)]
        return Response({"period": period, "counted": counted, "fields": names})


@extend_schema(tags=TAGS)
class SubmissionViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    lookup_value_converter = "int"
    required_action = Action.REPORT_VIEW
    required_actions = {"POST": Action.REPORT_SUBMIT}
    serializer_class = s.SubmissionSerializer
    pagination_class = StandardPagination

    def get_queryset(self):
        return (
            ReportSubmission.objects.visible_to(self.request.user)
            .select_related("organization")
            .order_by("-period", "organization__path")
        )

    @extend_schema(request=s.SubmissionInSerializer, responses={201: s.SubmissionSerializer})
    @idempotent
    def create(self, request):
        """Save the caller's unit's report for a period as a draft, or submit it (``submit: true``)."""
        d = bind(s.SubmissionInSerializer, request.data)
        try:
            definition = selectors.report_definition_get(user=request.user, pk=d["definition"])
        except Http404 as exc:
            raise DomainError("报表不存在。", field="definition") from exc
        sub = services.submission_save(
            by=request.user,
            definition=definition,
            period=d["period"],
            values=d["values"],
            reasons=d["reasons"],
            submit=d["submit"],
        )
        return Response(s.SubmissionSerializer(sub).data, status=201)
